import type { DialectGrain, SemanticDialect } from '../base/semantic-dialect.js';

/** DuckDB's SQL for the semantic layer (date_trunc's week starts on Monday). */
export const duckdbSemanticDialect: SemanticDialect = {
  name: 'duckdb',
  dateTrunc: (grain: DialectGrain, expr: string) => `cast(date_trunc('${grain}', ${expr}) as date)`,
  dateAdd: (expr: string, count: number, grain: DialectGrain) => `cast(${expr} + interval '${count} ${grain}' as date)`,
  percentile: (fraction: number, expr: string, discrete: boolean) => `${discrete ? 'quantile_disc' : 'quantile_cont'}(${expr}, ${fraction})`,
  castDouble: (expr: string) => `cast(${expr} as double)`,
  dateParam: () => 'cast(? as date)',
  rowId: () => 'gen_random_uuid()',
};
