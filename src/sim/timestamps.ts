/**
 * Timestamps as the real server writes them: RFC 3339 in UTC with however
 * many fraction digits the value needs (Go's RFC3339Nano trims trailing
 * zeros), e.g. `2026-08-24T12:57:54.86678881Z` or `2026-08-24T12:57:54Z`.
 */

/** An instant with sub-millisecond precision: epoch milliseconds plus 0–999,999 extra nanoseconds. */
export interface Instant {
  ms: number;
  subNanos: number;
}

export function formatInstant(t: Instant): string {
  const iso = new Date(t.ms).toISOString(); // always YYYY-MM-DDTHH:MM:SS.mmmZ
  const base = iso.slice(0, 19);
  const nanos = (t.ms - Math.floor(t.ms / 1000) * 1000) * 1_000_000 + t.subNanos;
  if (nanos === 0) return `${base}Z`;
  const fraction = String(nanos).padStart(9, '0').replace(/0+$/, '');
  return `${base}.${fraction}Z`;
}

export function compareInstants(a: Instant, b: Instant): number {
  return a.ms - b.ms || a.subNanos - b.subNanos;
}

const DAY_MS = 86_400_000;

export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const RELATIVE_DAYS = /^(\d{1,5})d$/;

/** Parse a strict `YYYY-MM-DD` as the UTC midnight that starts it; undefined when malformed or not a real date. */
export function parseDateOnly(text: string): number | undefined {
  const m = DATE_ONLY.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2026-02-31 over into March; the real server rejects it.
  return new Date(ms).toISOString().slice(0, 10) === text ? ms : undefined;
}

/**
 * One bound of the commits endpoint's date range, in epoch ms.
 * Accepts `YYYY-MM-DD`, RFC 3339, `<N>d` (N days before now), `today`, `now`.
 * A calendar day used as the end bound includes the whole day.
 */
export function parseRangeBound(text: string, nowMs: number, bound: 'start' | 'end'): number | undefined {
  const value = text.trim();
  if (value === 'now') return nowMs;
  if (value === 'today') return bound === 'start' ? startOfUtcDay(nowMs) : startOfUtcDay(nowMs) + DAY_MS - 1;
  const rel = RELATIVE_DAYS.exec(value);
  if (rel) return nowMs - Number(rel[1]) * DAY_MS;
  const day = parseDateOnly(value);
  if (day !== undefined) return bound === 'start' ? day : day + DAY_MS - 1;
  if (RFC3339.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

export { DAY_MS };
