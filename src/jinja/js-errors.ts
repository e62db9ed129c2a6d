/**
 * JavaScript failures inside the engine, in the user's terms: a stack
 * overflow, a TypeError from an unexpected value or a length limit becomes
 * a Jinja-worded message (the JS error stays the cause, for --debug). No
 * JavaScript error text ("Cannot read properties of undefined", "is not a
 * function", "Unexpected token") ever reaches a user.
 */

export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && e.message.includes('Maximum call stack size exceeded');
}

/** A user-facing message for an error JavaScript raised while the engine worked. */
export function describeJsError(e: unknown): string {
  if (isStackOverflow(e)) return 'maximum recursion depth exceeded';
  const msg = e instanceof Error ? e.message : String(e);
  // A host function's own Error (a failed connection, a file not found) says what happened.
  if (!(e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError || e instanceof URIError || e instanceof EvalError)) return msg;
  let m = /Cannot (?:read|set) propert(?:y|ies) of (undefined|null)(?: \(reading '([^']*)'\))?/.exec(msg);
  if (m) return m[2] === undefined ? `'${m[1] === 'null' ? 'None' : 'Undefined'}' object has no such attribute` : `'${m[1] === 'null' ? 'None' : 'Undefined'}' object has no attribute '${m[2]}'`;
  if (/is not a function|is not a constructor/.test(msg)) return 'the value is not callable';
  if (/is not iterable/.test(msg)) return 'the value is not iterable';
  if (/Invalid (?:array|string|typed array) length|Array buffer allocation failed/.test(msg)) return 'the result is too large';
  if (/Unexpected token|Unexpected end|Unexpected identifier|Invalid or unexpected/.test(msg)) return 'invalid syntax';
  if (/BigInt|Cannot convert/.test(msg)) return 'the value cannot be converted to a number';
  m = /^Invalid regular expression: (.*)$/.exec(msg);
  if (m) return `re.error: ${m[1]}`;
  return 'the operation is not supported on these values';
}
