/**
 * The SQL a semantic-layer query needs that differs per database: date
 * truncation and arithmetic, percentiles, casts. The semantic compiler
 * (src/semantic) writes everything else itself and asks the adapter's
 * dialect for these pieces, so the same query gives each database its own SQL.
 */
export type DialectGrain = 'day' | 'week' | 'month' | 'quarter' | 'year';

export interface SemanticDialect {
  readonly name: string;
  /** `expr` truncated to the start of its `grain` period (weeks start on Monday), as a date. */
  dateTrunc(grain: DialectGrain, expr: string): string;
  /** `expr` moved by `count` periods of `grain` (negative: back). */
  dateAdd(expr: string, count: number, grain: DialectGrain): string;
  /** A continuous (or discrete) percentile aggregate of `expr`. */
  percentile(fraction: number, expr: string, discrete: boolean): string;
  /** A double-precision cast, for ratios. */
  castDouble(expr: string): string;
  /** A date literal cast of a bind parameter (`?`). */
  dateParam(): string;
  /** A value unique to each row (a conversion event's identity). */
  rowId(): string;
}
