/**
 * Python floats whose value is integral.
 *
 * JavaScript has one number type, so `1` and `1.0` are the same value. Python
 * renders them differently (`1` vs `1.0`), and dbt projects print floats into
 * SQL, so tsdbt keeps integral floats as a `PyFloat` object. `valueOf()` makes
 * it behave as a number in JS arithmetic and comparisons; the operators in
 * `operators.ts` keep the float-ness the way Python does (`1.0 + 1` is `2.0`).
 *
 * Non-integral floats (1.5), `nan` and `inf` stay plain JS numbers: a JS number
 * that is not an integer can only be a Python float, so no wrapper is needed.
 */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return formatPyFloat(this.value);
  }
  toJSON(): number {
    return this.value;
  }
}

/** A Python float: a `PyFloat` when `n` is integral and finite, else the number itself. */
export function pyFloat(n: number): number | PyFloat {
  return Number.isInteger(n) || Object.is(n, -0) ? new PyFloat(n) : n;
}

export function isPyFloat(v: unknown): v is PyFloat {
  return v instanceof PyFloat;
}

/** True for anything Python would call a float: a PyFloat or a non-integral / non-finite number. */
export function isFloatValue(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

/** True for Python ints (bools excluded): integral JS numbers and bigints. */
export function isIntValue(v: unknown): v is number | bigint {
  return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
}

/** True for int, float or bool: anything Python arithmetic accepts. */
export function isNumeric(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat || typeof v === 'bigint';
}

/** The JS number behind a numeric Python value (bools are 0/1, as in Python). */
export function toNum(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  return NaN;
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip (JS computes the
 * same digits), in fixed notation when the decimal exponent is in [-4, 16),
 * else scientific with a signed, at least two-digit exponent (`1e+20`, `1e-05`).
 */
export function formatPyFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const sign = n < 0 ? '-' : '';
  const exp = Math.abs(n).toExponential(); // "d.ddde+X"
  const eAt = exp.indexOf('e');
  const digits = exp.slice(0, eAt).replace('.', '');
  const e10 = Number(exp.slice(eAt + 1));
  const decpt = e10 + 1; // value = 0.DIGITS x 10^decpt
  if (decpt > 16 || decpt <= -4) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const es = Math.abs(e10) < 10 ? `0${Math.abs(e10)}` : String(Math.abs(e10));
    return `${sign}${mant}e${e10 < 0 ? '-' : '+'}${es}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}
