/**
 * Python's `str()` and `repr()` of YAML values, for names and hashes dbt
 * derives from them (test names embed `str(arg)`, test unique ids hash the
 * `repr()` of the test metadata). YAML gives strings, numbers, booleans,
 * null, lists and mappings only.
 */

/** `str(v)`: strings as they are, `True`/`False`/`None`, containers as their repr. */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  return pyRepr(v);
}

/** `repr(v)`. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return pyFloatOrInt(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return pyReprString(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof Date) return `datetime.date(${v.getUTCFullYear()}, ${v.getUTCMonth() + 1}, ${v.getUTCDate()})`;
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${pyReprString(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return String(v);
}

function pyFloatOrInt(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n)) return String(n);
  // Python switches to exponent form at 1e16 and below 1e-4, as JS does at 1e21 and 1e-7.
  const abs = Math.abs(n);
  if (abs >= 1e16 || abs < 1e-4) {
    const [m, e] = n.toExponential().split('e') as [string, string];
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

/** Characters escaped in every repr (besides the chosen quote). */
const SPECIAL = /[\\\x00-\x1f\x7f]/;
const ESCAPE_IN_SINGLE = /[\\'\x00-\x1f\x7f]/g;
const ESCAPE_IN_DOUBLE = /[\\"\x00-\x1f\x7f]/g;
const NAMED: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Python's string repr: single quotes unless the text has a ' and no ", escapes for \\ and control characters. */
export function pyReprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  // Nearly every name and argument needs no escaping (a ' inside "..." needs none).
  if (!SPECIAL.test(s) && !(quote === "'" && s.includes("'"))) return quote + s + quote;
  const escaped = s.replace(quote === "'" ? ESCAPE_IN_SINGLE : ESCAPE_IN_DOUBLE, (ch) => NAMED[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return quote + escaped + quote;
}
