/**
 * Snowflake's `create [or replace] [transient] table t (col type constraints, ...) as (select ...)`
 * (a contracted table: declared columns filled by a query, by position). DuckDB has no such
 * form, so the double runs it as a create with the columns followed by an insert.
 */
export function splitCtasWithColumns(sql: string): { create: string; insert: string } | undefined {
  const head = /^\s*create\s+(?:or\s+replace\s+)?(?:transient\s+)?table\s+((?:"[^"]*"|[\w$]+)(?:\s*\.\s*(?:"[^"]*"|[\w$]+))*)\s*\(/i.exec(sql);
  if (!head) return undefined;
  const open = head[0].length - 1;
  const close = matchingParen(sql, open);
  if (close < 0) return undefined;
  const rest = /^\s*as\s*([\s\S]*?)\s*;?\s*$/i.exec(sql.slice(close + 1));
  if (!rest || rest[1]!.length === 0) return undefined;
  return { create: sql.slice(0, close + 1), insert: `insert into ${head[1]} ${rest[1]}` };
}

/** Index of the parenthesis closing the one at `open`, skipping quoted strings and identifiers; -1 if none. */
function matchingParen(sql: string, open: number): number {
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}
