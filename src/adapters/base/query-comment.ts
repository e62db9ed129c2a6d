/**
 * dbt's query comment on the SQL it sends: `/* <comment> *\/` before the
 * statement, or after it with `append` (before a trailing `;`). The comment
 * is rendered once per node elsewhere (context/query-header.ts); this only
 * places the text.
 */

/** The comment a session puts on what it sends; null sends SQL as is. */
export interface QueryCommentText {
  text: string;
  append: boolean;
}

/** `sql` with the comment, placed as dbt places it (the comment's surrounding whitespace dropped). */
export function addQueryComment(sql: string, comment: QueryCommentText): string {
  const text = comment.text.trim();
  if (!comment.append) return `/* ${text} */\n${sql}`;
  const body = sql.trimEnd();
  if (body.endsWith(';')) return `${body.slice(0, -1)}\n/* ${text} */;`;
  return `${body}\n/* ${text} */`;
}
