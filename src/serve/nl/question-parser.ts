import type { AnalyticsSpec } from '../analytics-spec.js';
import type { Catalog } from '../backend.js';

/**
 * Questions in plain language → the seed's query spec, with no language
 * model: metric names, labels and `meta.synonyms`, grains ("weekly", "per
 * month"), "by X", relative dates ("last 4 weeks", "since March", "in 2025")
 * against an injectable clock, and "top N ... by ...". It says which words it
 * matched and which it did not; when no metric matches it returns no spec
 * rather than a guess.
 */
export interface Match {
  text: string;
  as: string;
}

export interface ParsedQuestion {
  spec: AnalyticsSpec | null;
  explanation: string;
  matched: Match[];
  unmatched: string[];
}

const GRAIN_WORDS: Record<string, string> = {
  daily: 'day', day: 'day', days: 'day', weekly: 'week', week: 'week', weeks: 'week', monthly: 'month', month: 'month', months: 'month',
  quarterly: 'quarter', quarter: 'quarter', quarters: 'quarter', yearly: 'year', annually: 'year', annual: 'year', year: 'year', years: 'year',
};
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12, twenty: 20 };
const STOP = new Set([
  'how', 'many', 'much', 'what', 'which', 'who', 'was', 'were', 'is', 'are', 'the', 'of', 'a', 'an', 'and', 'for', 'in', 'on', 'to', 'me', 'show', 'give', 'list',
  'did', 'do', 'does', 'our', 'we', 'have', 'has', 'had', 'with', 'over', 'each', 'every', 'per', 'by', 'time', 'get', 'tell', 'there', 'been', 'be', 'all',
  'number', 'total', 'overall', 'trend', 'please', 'at', 'from', 'as', 'it', 'its', 'this', 'that', 'during', 'across', 'value', 'values',
]);

interface Phrase {
  words: string[];
  target: string;
  kind: 'metric' | 'dimension';
}

const words = (s: string) => s.toLowerCase().replace(/[_\-/]/g, ' ').replace(/[^a-z0-9 ]/g, ' ').split(/\s+/).filter(Boolean);
const singular = (w: string) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w);

function phrasesOf(catalog: Catalog): Phrase[] {
  const out: Phrase[] = [];
  for (const m of catalog.metrics) {
    for (const text of [m.name, m.label, ...m.synonyms]) if (text) out.push({ words: words(text), target: m.name, kind: 'metric' });
  }
  for (const d of catalog.dimensions) {
    if (d.name === 'metric_time') continue;
    const bare = d.name.split('__').pop()!;
    // `repo_name` is asked for as "repo", `developer_email` as "developer".
    const short = /^(.+)_(name|email|id|key)$/.exec(bare)?.[1];
    for (const text of [bare, d.label ?? '', d.name, short ?? '']) if (text) out.push({ words: words(text), target: d.name, kind: 'dimension' });
  }
  // Longest phrases first, so "merged pull requests" wins over "pull requests".
  return out.filter((p) => p.words.length > 0).sort((a, b) => b.words.length - a.words.length);
}

/**
 * How many tokens from `i` the phrase spans: its words in order, or (for
 * several words) in any order within a short window that holds only them and
 * stop words ("PRs were merged" for "merged PRs"); 0 when it does not match.
 */
function matchAt(tokens: string[], i: number, phrase: string[], used: boolean[]): number {
  if (i + phrase.length <= tokens.length && phrase.every((w, j) => !used[i + j] && singular(tokens[i + j]!) === singular(w))) return phrase.length;
  if (phrase.length < 2) return 0;
  const want = phrase.map(singular);
  const left = [...want];
  for (let k = i; k < Math.min(tokens.length, i + phrase.length + 2); k += 1) {
    if (used[k]) return 0;
    const t = singular(tokens[k]!);
    const at = left.indexOf(t);
    if (at >= 0) left.splice(at, 1);
    else if (!STOP.has(tokens[k]!) || k === i) return 0;
    if (left.length === 0) return k - i + 1;
  }
  return 0;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
function addUnits(d: Date, unit: string, n: number): Date {
  const r = new Date(d);
  if (unit === 'day') r.setUTCDate(r.getUTCDate() + n);
  else if (unit === 'week') r.setUTCDate(r.getUTCDate() + 7 * n);
  else if (unit === 'month') r.setUTCMonth(r.getUTCMonth() + n);
  else if (unit === 'quarter') r.setUTCMonth(r.getUTCMonth() + 3 * n);
  else r.setUTCFullYear(r.getUTCFullYear() + n);
  return r;
}

export function parseQuestion(question: string, catalog: Catalog, now: () => Date = () => new Date()): ParsedQuestion {
  const tokens = words(question);
  const used = new Array<boolean>(tokens.length).fill(false);
  const matched: Match[] = [];
  const take = (i: number, n: number, as: string) => {
    for (let k = i; k < i + n; k += 1) used[k] = true;
    matched.push({ text: tokens.slice(i, i + n).join(' '), as });
  };
  const today = new Date(Date.UTC(now().getUTCFullYear(), now().getUTCMonth(), now().getUTCDate()));
  const spec: AnalyticsSpec = { metrics: [] };
  const groupBy: { field: string; interval?: string }[] = [];
  const dates: { start?: string; end?: string } = {};
  let limit: number | undefined;
  let topN = false;

  // Dates and counts first: "last 8 weeks", "past 30 days", "since march", "in 2025", "top 5".
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    const n = next !== undefined ? (NUMBER_WORDS[next] ?? (/^\d+$/.test(next) ? Number(next) : undefined)) : undefined;
    if ((t === 'last' || t === 'past' || t === 'previous') && n !== undefined && tokens[i + 2] && GRAIN_WORDS[tokens[i + 2]!]) {
      const unit = GRAIN_WORDS[tokens[i + 2]!]!;
      dates.start = iso(addUnits(today, unit, -n));
      dates.end = iso(today);
      take(i, 3, `dates ${dates.start} to ${dates.end}`);
      i += 2;
    } else if ((t === 'last' || t === 'past' || t === 'this') && next && GRAIN_WORDS[next] && !/ly$/.test(next)) {
      const unit = GRAIN_WORDS[next]!;
      dates.start = iso(t === 'this' ? startOf(today, unit) : addUnits(today, unit, -1));
      dates.end = iso(today);
      take(i, 2, `dates ${dates.start} to ${dates.end}`);
      i += 1;
    } else if (t === 'since' && next !== undefined && (MONTHS.includes(next) || /^\d{4}$/.test(next))) {
      let start: Date;
      if (/^\d{4}$/.test(next)) start = new Date(Date.UTC(Number(next), 0, 1));
      else {
        const m = MONTHS.indexOf(next);
        const year = m <= today.getUTCMonth() ? today.getUTCFullYear() : today.getUTCFullYear() - 1;
        start = new Date(Date.UTC(year, m, 1));
      }
      dates.start = iso(start);
      dates.end = iso(today);
      take(i, 2, `dates ${dates.start} to ${dates.end}`);
      i += 1;
    } else if ((t === 'in' || t === 'during') && next !== undefined && /^(19|20)\d{2}$/.test(next)) {
      dates.start = `${next}-01-01`;
      dates.end = `${next}-12-31`;
      take(i, 2, `dates ${dates.start} to ${dates.end}`);
      i += 1;
    } else if (t === 'top' && n !== undefined) {
      limit = n;
      topN = true;
      take(i, 2, `top ${n}`);
      i += 1;
    }
  }

  // Grains: "weekly", "per week", "by month", "each day".
  for (let i = 0; i < tokens.length; i += 1) {
    if (used[i]) continue;
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    const grain = GRAIN_WORDS[t];
    if (grain && (/ly$/.test(t) || t === 'annually' || prev === 'per' || prev === 'by' || prev === 'each' || prev === 'every') && !groupBy.some((g) => g.field === 'metric_time')) {
      const from = prev === 'per' || prev === 'by' || prev === 'each' || prev === 'every' ? i - 1 : i;
      groupBy.push({ field: 'metric_time', interval: grain });
      take(from, i - from + 1, `group by metric_time__${grain}`);
    }
  }

  // Metrics and dimensions, longest phrase first.
  const phrases = phrasesOf(catalog);
  for (let i = 0; i < tokens.length; i += 1) {
    if (used[i] || STOP.has(tokens[i]!)) continue;
    for (const p of phrases) {
      const span = matchAt(tokens, i, p.words, used);
      if (span === 0) continue;
      if (p.kind === 'metric') {
        if (!spec.metrics.includes(p.target)) spec.metrics.push(p.target);
        take(i, span, `metric ${p.target}`);
      } else {
        if (!groupBy.some((g) => g.field === p.target)) groupBy.push({ field: p.target });
        take(i, span, `group by ${p.target}`);
      }
      i += span - 1;
      break;
    }
  }

  const unmatched = tokens.filter((t, i) => !used[i] && !STOP.has(t));
  if (spec.metrics.length === 0) {
    return { spec: null, explanation: 'No metric of the catalog is named in the question.', matched, unmatched };
  }
  if (groupBy.length > 0) spec.group_by = groupBy;
  if (dates.start || dates.end) spec.dates = dates;
  if (limit !== undefined) spec.limit = limit;
  if (topN) spec.sort_by = [{ field: spec.metrics[0]!, direction: 'desc' }];
  else if (groupBy.some((g) => g.field === 'metric_time')) spec.sort_by = [{ field: 'metric_time', direction: 'asc' }];
  const parts = [`${spec.metrics.join(', ')}`];
  if (groupBy.length) parts.push(`by ${groupBy.map((g) => (g.interval ? `${g.field}__${g.interval}` : g.field)).join(', ')}`);
  if (spec.dates) parts.push(`from ${spec.dates.start ?? 'the start'} to ${spec.dates.end ?? 'now'}`);
  if (topN) parts.push(`top ${limit} by ${spec.metrics[0]}`);
  return { spec, explanation: parts.join(' '), matched, unmatched };
}

function startOf(d: Date, unit: string): Date {
  if (unit === 'day') return d;
  if (unit === 'week') return addUnits(d, 'day', -((d.getUTCDay() + 6) % 7));
  if (unit === 'month') return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  if (unit === 'quarter') return new Date(Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1));
  return new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
}
