/** `text` with each secret (given longest first, so a secret containing another is replaced whole) replaced by `*****`. */
export function redactIn(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('*****');
  return out;
}
