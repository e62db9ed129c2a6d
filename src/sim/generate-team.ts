/**
 * The people and repositories a simulated organisation has: deterministic
 * for a seed, sized from the developer count.
 */
import type { Prng } from './prng.js';

export interface Developer {
  userId: string;
  name: string;
  email: string;
  role: string;
  /** Typical share of AI-written lines in this developer's work (0–1). */
  aiAffinity: number;
  /** Multiplier on the base pull-request rate. */
  activity: number;
  /** Repositories this developer mostly works in. */
  homeRepos: string[];
}

export interface RepoDef {
  fullName: string;
  defaultBranch: string;
}

const FIRST = [
  'Alice', 'Bilal', 'Chen', 'Dana', 'Emeka', 'Farah', 'Goran', 'Hana', 'Ivan', 'Jonas',
  'Keiko', 'Lucia', 'Mateo', 'Nadia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq',
  'Uma', 'Viktor', 'Wen', 'Ximena', 'Yusuf', 'Zoe',
];
const LAST = [
  'Adeyemi', 'Berg', 'Castro', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito',
  'Jensen', 'Kowalski', 'Larsen', 'Moreau', 'Novak', 'Okafor', 'Petrov', 'Rossi', 'Sato',
  'Tanaka', 'Uddin', 'Varga', 'Weber', 'Yilmaz', 'Zhang',
];
const REPO_NAMES = [
  'platform', 'web-app', 'api-gateway', 'mobile-app', 'data-pipeline', 'auth-service',
  'billing', 'search', 'infra', 'design-system', 'notifications', 'analytics-sdk',
];

export function generateRepos(rng: Prng, developers: number): RepoDef[] {
  const count = Math.min(REPO_NAMES.length, Math.max(3, 2 + Math.ceil(developers / 5)));
  return REPO_NAMES.slice(0, count).map((name, i) => ({
    fullName: `acme-corp/${name}`,
    // Older repositories keep `master`; the rest use `main`.
    defaultBranch: i === 2 || rng.chance(0.1) ? 'master' : 'main',
  }));
}

export function generateDevelopers(rng: Prng, count: number, repos: RepoDef[]): Developer[] {
  const used = new Set<string>();
  const out: Developer[] = [];
  const strata = rng.shuffle(Array.from({ length: count }, (_, i) => i));
  for (let i = 0; i < count; i++) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    let handle = `${first}.${last}`.toLowerCase();
    // Same name twice in a big team: number the later ones, as a mail system would.
    for (let n = 2; used.has(handle); n++) handle = `${first}.${last}${n}`.toLowerCase();
    used.add(handle);
    const homeCount = Math.min(repos.length, rng.int(1, 2));
    const homeRepos = rng.shuffle(repos).slice(0, homeCount).map((r) => r.fullName);
    out.push({
      userId: `user_${rng.hex(8)}`,
      name: `${first} ${last}`,
      email: `${handle}@acme-corp.dev`,
      role: i === 0 ? 'lead' : rng.weighted([['developer', 7], ['senior_developer', 3]] as const),
      // One affinity per stratum of [0.1, 0.85], so even a 2-person team covers low and high AI use.
      aiAffinity: 0.1 + 0.75 * ((strata[i]! + rng.next()) / count),
      activity: rng.float(0.92, 1.08),
      homeRepos,
    });
  }
  return out;
}
