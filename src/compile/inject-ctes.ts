/**
 * Ephemeral models reach the SQL that refs them as CTEs named
 * `__dbt__cte__<name>`. When the SQL already starts with `with`, the CTEs
 * join its list (dbt does the same), otherwise a `with` is put in front.
 */
export interface Cte {
  id: string;
  /** e.g. `__dbt__cte__stg_orders` */
  name: string;
  sql: string;
}

/** Index just past a leading `with` (or `with recursive`) keyword, skipping whitespace and comments; -1 if none. */
export function leadingWithEnd(sql: string): number {
  let i = 0;
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i]!)) i++;
    if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      if (nl < 0) return -1;
      i = nl + 1;
      continue;
    }
    if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) return -1;
      i = end + 2;
      continue;
    }
    break;
  }
  const m = /^with(\s+recursive)?\b/i.exec(sql.slice(i));
  return m ? i + m[0].length : -1;
}

export function injectCtes(sql: string, ctes: readonly Cte[]): string {
  if (ctes.length === 0) return sql;
  const defs = ctes.map((c) => `${c.name} as (\n${c.sql}\n)`).join(', ');
  const at = leadingWithEnd(sql);
  if (at < 0) return `with ${defs}\n${sql}`;
  return `${sql.slice(0, at)} ${defs}, ${sql.slice(at).replace(/^\s+/, '')}`;
}
