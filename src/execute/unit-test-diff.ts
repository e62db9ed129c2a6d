/**
 * Comparing a unit test's actual rows with the expected ones: as multisets
 * (row order does not matter, duplicates do), over the expected columns only.
 */

export interface UnitTestDiff {
  equal: boolean;
  /** Rows only the model produced. */
  extra: unknown[][];
  /** Expected rows the model did not produce. */
  missing: unknown[][];
  /** A table of the differing rows, `+++` actual only, `---` expected only (blank if equal). */
  rendered: string;
}

/** A value as one canonical text, so 1 (INTEGER) and 1n (BIGINT) or equal dates compare equal. */
export function canonical(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (typeof v === 'object') return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
}

const display = (v: unknown): string => (v === null || v === undefined ? 'None' : canonical(v));

export function diffRows(columns: readonly string[], actual: readonly unknown[][], expected: readonly unknown[][]): UnitTestDiff {
  const key = (r: readonly unknown[]) => JSON.stringify(r.map(canonical));
  const pending = new Map<string, number>();
  for (const r of expected) pending.set(key(r), (pending.get(key(r)) ?? 0) + 1);
  const extra: unknown[][] = [];
  for (const r of actual) {
    const k = key(r);
    const n = pending.get(k) ?? 0;
    if (n > 0) pending.set(k, n - 1);
    else extra.push([...r]);
  }
  const missing: unknown[][] = [];
  const left = new Map(pending);
  for (const r of expected) {
    const k = key(r);
    const n = left.get(k) ?? 0;
    if (n > 0) {
      missing.push([...r]);
      left.set(k, n - 1);
    }
  }
  const equal = extra.length === 0 && missing.length === 0;
  return { equal, extra, missing, rendered: equal ? '' : renderDiff(columns, extra, missing) };
}

/**
 * Rows side by side under a header, padded per column like dbt's daff output:
 * ```
 * @@ ,id ,name
 * +++,2  ,b
 * ---,2  ,c
 * ```
 */
export function renderDiff(columns: readonly string[], extra: readonly unknown[][], missing: readonly unknown[][]): string {
  const sortKey = (r: readonly unknown[]) => r.map(display).join('\u0000');
  const lines: string[][] = [['@@', ...columns]];
  for (const r of [...extra].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))) lines.push(['+++', ...r.map(display)]);
  for (const r of [...missing].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))) lines.push(['---', ...r.map(display)]);
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  return lines.map((l) => l.map((cell, i) => (i === l.length - 1 ? cell : cell.padEnd(widths[i]!))).join(',')).join('\n');
}
