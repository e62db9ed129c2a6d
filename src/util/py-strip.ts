// Python's str.isspace() characters: what str.strip() removes. Unlike String.prototype.trim
// it includes \x1c-\x1f and \x85, and it keeps a byte-order mark (\uFEFF).
const PY_SPACE = '[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const LEADING = new RegExp(`^${PY_SPACE}+`);
const TRAILING = new RegExp(`${PY_SPACE}+$`);

/**
 * A file's contents as dbt reads them (load_file_contents with strip=True):
 * leading and trailing whitespace removed, as Python's str.strip() does.
 * `leadingLines` counts the newlines removed in front, so line numbers in
 * the stripped text can be mapped back to the file.
 */
export function pyStrip(text: string): { text: string; leadingLines: number } {
  const lead = LEADING.exec(text)?.[0] ?? '';
  const rest = text.slice(lead.length);
  const trail = TRAILING.exec(rest)?.[0] ?? '';
  return { text: rest.slice(0, rest.length - trail.length), leadingLines: lead.split('\n').length - 1 };
}
