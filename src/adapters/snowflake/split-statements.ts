/**
 * Split a SQL script into statements on top-level `;`.
 *
 * Snowflake runs one statement per request unless MULTI_STATEMENT_COUNT is
 * changed, while materializations emit scripts (as dbt-snowflake, we split
 * client-side and run them in order). Semicolons inside '...' strings (with
 * '' and \' escapes), "..." identifiers, $$...$$ bodies and comments do not
 * split. Statements that are only whitespace or comments are dropped.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let meaningful = false;
  let i = 0;
  const n = sql.length;
  const push = (end: number) => {
    if (meaningful) out.push(sql.slice(start, end).trim());
    meaningful = false;
  };
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'" || c === '"') {
      meaningful = true;
      i++;
      while (i < n) {
        if (c === "'" && sql[i] === '\\') i += 2;
        else if (sql[i] === c && sql[i + 1] === c) i += 2;
        else if (sql[i] === c) {
          i++;
          break;
        } else i++;
      }
    } else if (c === '$' && next === '$') {
      meaningful = true;
      const end = sql.indexOf('$$', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === ';') {
      push(i);
      i++;
      start = i;
    } else {
      if (!/\s/.test(c)) meaningful = true;
      i++;
    }
  }
  push(n);
  return out;
}
