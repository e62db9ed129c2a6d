/**
 * A synthetic dbt-shaped manifest of about `size` graph members: sources,
 * seeds, layered models (staging → intermediate → marts) with 1–4 refs to
 * earlier layers, generic and relationships tests, singular tests and
 * exposures. Deterministic for a given seed.
 */
import type { Manifest } from '../../src/manifest/types.js';
import { ManifestBuilder } from '../../tests/graph/manifest-builder.js';

export function generateManifest(size = 8000, seed = 42): Manifest {
  let state = seed >>> 0;
  const rand = (): number => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

  const b = new ManifestBuilder('bench');
  const n = {
    sources: Math.round(size * 0.03),
    seeds: Math.round(size * 0.02),
    staging: Math.round(size * 0.15),
    intermediate: Math.round(size * 0.2),
    marts: Math.round(size * 0.15),
    exposures: Math.round(size * 0.01),
  };
  const tags = ['nightly', 'hourly', 'finance', 'product', 'pii'];
  const sources: string[] = [];
  for (let i = 0; i < n.sources; i += 1) {
    b.source(`src${i % 20}`, `t${i}`, { file: `models/staging/src${i % 20}/sources.yml` });
    sources.push(`src${i % 20}.t${i}`);
  }
  const seeds: string[] = [];
  for (let i = 0; i < n.seeds; i += 1) {
    b.seed(`seed_${i}`);
    seeds.push(`seed_${i}`);
  }
  const staging: string[] = [];
  for (let i = 0; i < n.staging; i += 1) {
    const name = `stg_${i}`;
    b.model(name, {
      sources: [pick(sources)],
      refs: rand() < 0.2 ? [pick(seeds)] : [],
      path: `staging/s${i % 25}/${name}.sql`,
      tags: [pick(tags)],
    });
    staging.push(name);
  }
  const layer = (prefix: string, count: number, upstream: () => string[], dir: string, mat: string): string[] => {
    const out: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const name = `${prefix}_${i}`;
      const refs = new Set<string>();
      const k = 1 + Math.floor(rand() * 4);
      const pool = upstream();
      for (let j = 0; j < k; j += 1) refs.add(pick(pool));
      // Chains inside the layer make the DAG deep, not just wide.
      if (out.length > 0 && rand() < 0.5) refs.add(out[Math.max(0, out.length - 1 - Math.floor(rand() * 20))]!);
      b.model(name, { refs: [...refs], path: `${dir}/d${i % 30}/${name}.sql`, tags: [pick(tags)], config: { materialized: mat } });
      out.push(name);
    }
    return out;
  };
  const intermediate = layer('int', n.intermediate, () => staging, 'intermediate', 'ephemeral');
  const marts = layer('mart', n.marts, () => (rand() < 0.7 ? intermediate : staging), 'marts', 'table');
  const models = [...staging, ...intermediate, ...marts];
  for (let i = 0; i < n.exposures; i += 1) b.exposure(`exp_${i}`, [pick(marts), pick(marts)]);

  let tests = 0;
  const budget = size - (n.sources + n.seeds + n.staging + n.intermediate + n.marts + n.exposures);
  while (tests < budget) {
    const kind = rand();
    if (kind < 0.7) {
      const m = pick(models);
      const name = `not_null_${m}_${tests}`;
      b.test(name, { on: [m], generic: rand() < 0.5 ? 'not_null' : 'unique' });
    } else if (kind < 0.9) {
      const a = pick(models);
      let c = pick(models);
      if (c === a) c = pick(staging);
      if (c === a) continue;
      b.test(`relationships_${a}_${c}_${tests}`, { on: [a, c], generic: 'relationships' });
    } else {
      const m = pick(marts);
      b.test(`assert_${m}_${tests}`, { on: [m], tags: ['nightly'] });
    }
    tests += 1;
  }
  return b.build();
}
