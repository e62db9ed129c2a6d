import type { DialectGrain, SemanticDialect } from '../base/semantic-dialect.js';

/** Snowflake's SQL for the semantic layer (WEEK truncation follows WEEK_START; the default 0 means Monday). */
export const snowflakeSemanticDialect: SemanticDialect = {
  name: 'snowflake',
  dateTrunc: (grain: DialectGrain, expr: string) => `to_date(date_trunc('${grain.toUpperCase()}', ${expr}))`,
  dateAdd: (expr: string, count: number, grain: DialectGrain) => `to_date(dateadd(${grain}, ${count}, ${expr}))`,
  percentile: (fraction: number, expr: string, discrete: boolean) => `${discrete ? 'percentile_disc' : 'percentile_cont'}(${fraction}) within group (order by ${expr})`,
  castDouble: (expr: string) => `cast(${expr} as double)`,
  dateParam: () => 'to_date(?)',
  rowId: () => 'uuid_string()',
};
