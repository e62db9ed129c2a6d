/**
 * Python's decimal.Decimal, as far as templates meet it: dbt's query results
 * hold one for every value of a non-integer numeric column (agate's Number
 * type casts a float `f` to `Decimal(repr(f))` and keeps a driver's Decimal),
 * so `{{ value }}` prints `1.50`, `1.0` or `1E-7`, and arithmetic follows
 * the default context: 28 significant digits, rounded half to even.
 *
 * A value is sign x coefficient x 10^exponent (the coefficient a bigint,
 * its trailing zeros kept, as they are significant in Decimal's str), or a
 * NaN or an infinity. With an int it computes as Decimal does; with a float
 * it raises Python's TypeError (comparisons with a float are exact, as in
 * Python 3). Operators reach it through operators.ts's dunder hooks.
 */
import { pyError } from './errors.js';
import { pyFormatValue } from './format-spec.js';
import { formatPyFloat, isFloatValue, isIntValue, PyFloat, pyFloat } from './py-float.js';
import { exposeMembers } from './sandbox.js';

const PREC = 28;

type Special = 'nan' | 'inf' | undefined;

export class PyDecimal {
  readonly __class__ = 'decimal.Decimal';

  /** Use the static makers; this one takes the parts as they are (no rounding). */
  constructor(
    /** True when negative (a negative zero included). */
    readonly negative: boolean,
    readonly coefficient: bigint,
    readonly exponent: number,
    readonly special: Special = undefined,
  ) {}

  /** Decimal(text): `[sign]digits[.digits][e[sign]digits]`, `nan`, `inf`, `infinity` (any case); exact. */
  static fromString(text: string): PyDecimal {
    const s = text.trim();
    const m = /^([+-])?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/.exec(s);
    if (!m) {
      const sp = /^([+-])?(nan|inf|infinity)$/i.exec(s);
      if (!sp) throw pyError('InvalidOperation', `[<class 'decimal.ConversionSyntax'>]`, `Decimal() takes a number written in decimal, not ${JSON.stringify(text)}.`);
      return new PyDecimal(sp[1] === '-', 0n, 0, sp[2]!.toLowerCase() === 'nan' ? 'nan' : 'inf');
    }
    const whole = m[2] ?? '';
    const frac = m[3] ?? m[4] ?? '';
    return new PyDecimal(m[1] === '-', BigInt(whole + frac || '0'), Number(m[5] ?? 0) - frac.length);
  }

  /** Decimal(repr(f)): agate's cast of a Python float. */
  static fromFloatRepr(f: number): PyDecimal {
    return PyDecimal.fromString(formatPyFloat(f));
  }

  /** `scaled` x 10^-scale: a database DECIMAL(p, scale) value, its digits exact. */
  static fromScaled(scaled: bigint, scale: number): PyDecimal {
    return new PyDecimal(scaled < 0n, scaled < 0n ? -scaled : scaled, -scale);
  }

  static fromInt(n: number | bigint): PyDecimal {
    const b = BigInt(n);
    return new PyDecimal(b < 0n, b < 0n ? -b : b, 0);
  }

  private get signed(): bigint {
    return this.negative ? -this.coefficient : this.coefficient;
  }

  /** Python's str(): plain notation unless the exponent is positive or the value is below 1E-6. */
  __str__(): string {
    const sign = this.negative ? '-' : '';
    if (this.special === 'nan') return `${sign}NaN`;
    if (this.special === 'inf') return `${sign}Infinity`;
    const digits = this.coefficient.toString();
    const leftDigits = this.exponent + digits.length;
    const dot = this.exponent <= 0 && leftDigits > -6 ? leftDigits : 1;
    let body: string;
    if (dot <= 0) body = `0.${'0'.repeat(-dot)}${digits}`;
    else if (dot >= digits.length) body = digits + '0'.repeat(dot - digits.length);
    else body = `${digits.slice(0, dot)}.${digits.slice(dot)}`;
    const e = leftDigits - dot;
    return sign + body + (e === 0 ? '' : `E${e > 0 ? '+' : '-'}${Math.abs(e)}`);
  }

  __repr__(): string {
    return `Decimal('${this.__str__()}')`;
  }

  toString(): string {
    return this.__str__();
  }

  /** The nearest float (Python's float(d)). */
  toNumber(): number {
    if (this.special === 'nan') return NaN;
    if (this.special === 'inf') return this.negative ? -Infinity : Infinity;
    return Number(this.__str__());
  }

  valueOf(): number {
    return this.toNumber();
  }

  toJSON(): never {
    throw pyError('TypeError', 'Object of type Decimal is not JSON serializable', 'Convert it first, e.g. (x | float) or (x | string).');
  }

  /**
   * format(d, spec): '' is str(d); a bare `.Nf` rounds the exact value half to even, as Decimal's own
   * formatting does; any other spec formats the nearest float.
   */
  __format__(spec: string): string {
    if (spec === '') return this.__str__();
    const fixed = /^\.(\d+)[fF]$/.exec(spec);
    if (fixed && !this.special) return plain(rescale(this, -Number(fixed[1])));
    return pyFormatValue(pyFloat(this.toNumber()), spec);
  }

  __bool__(): boolean {
    return this.special !== undefined || this.coefficient !== 0n;
  }

  /** int(d): toward zero. */
  toInt(): number | bigint {
    refuseSpecial(this);
    const q = this.exponent >= 0 ? this.signed * 10n ** BigInt(this.exponent) : this.signed / 10n ** BigInt(-this.exponent);
    return q >= BigInt(Number.MIN_SAFE_INTEGER) && q <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(q) : q;
  }

  /** round(d, places): a Decimal with exponent -places, half to even (Decimal.quantize); a NaN or an infinity as it is. */
  round(places: number): PyDecimal {
    if (this.special) return this;
    return rescale(this, -places);
  }

  private static of(v: unknown): PyDecimal | undefined {
    if (v instanceof PyDecimal) return v;
    if (typeof v === 'boolean') return PyDecimal.fromInt(v ? 1 : 0);
    if (isIntValue(v)) return PyDecimal.fromInt(v);
    return undefined;
  }

  /** The other operand as a Decimal; a float is Python's TypeError; anything else NotImplemented (undefined). */
  private static operand(op: string, other: unknown, reflected: boolean): PyDecimal | undefined {
    const d = PyDecimal.of(other);
    if (d) return d;
    if (isFloatValue(other)) {
      const [a, b] = reflected ? ['float', 'decimal.Decimal'] : ['decimal.Decimal', 'float'];
      throw pyError('TypeError', `unsupported operand type(s) for ${op}: '${a}' and '${b}'`, 'Convert one side first: (x | float) for a float, or keep both Decimal.');
    }
    return undefined;
  }

  __add__(other: unknown): PyDecimal | undefined {
    const b = PyDecimal.operand('+', other, false);
    return b && add(this, b);
  }

  __radd__(other: unknown): PyDecimal | undefined {
    const a = PyDecimal.operand('+', other, true);
    return a && add(a, this);
  }

  __sub__(other: unknown): PyDecimal | undefined {
    const b = PyDecimal.operand('-', other, false);
    return b && add(this, negate(b));
  }

  __rsub__(other: unknown): PyDecimal | undefined {
    const a = PyDecimal.operand('-', other, true);
    return a && add(a, negate(this));
  }

  __mul__(other: unknown): PyDecimal | undefined {
    const b = PyDecimal.operand('*', other, false);
    return b && multiply(this, b);
  }

  __rmul__(other: unknown): PyDecimal | undefined {
    const a = PyDecimal.operand('*', other, true);
    return a && multiply(a, this);
  }

  __truediv__(other: unknown): PyDecimal | undefined {
    const b = PyDecimal.operand('/', other, false);
    return b && divide(this, b);
  }

  __rtruediv__(other: unknown): PyDecimal | undefined {
    const a = PyDecimal.operand('/', other, true);
    return a && divide(a, this);
  }

  __floordiv__(other: unknown): PyDecimal | undefined {
    const b = PyDecimal.operand('//', other, false);
    return b && divideInteger(this, b);
  }

  __rfloordiv__(other: unknown): PyDecimal | undefined {
    const a = PyDecimal.operand('//', other, true);
    return a && divideInteger(a, this);
  }

  __mod__(other: unknown): PyDecimal | undefined {
    const b = PyDecimal.operand('%', other, false);
    return b && remainder(this, b);
  }

  __rmod__(other: unknown): PyDecimal | undefined {
    const a = PyDecimal.operand('%', other, true);
    return a && remainder(a, this);
  }

  __pow__(other: unknown): PyDecimal | undefined {
    const b = PyDecimal.operand('** or pow()', other, false);
    return b && power(this, b);
  }

  /** -d: a zero stays positive (Decimal's default rounding). */
  __neg__(): PyDecimal {
    return fix(this.coefficient === 0n && !this.special ? new PyDecimal(false, 0n, this.exponent) : negate(this));
  }

  /** math.floor / math.ceil of d x 10^places (an int), as Jinja2's round(method='floor'|'ceil') takes it. */
  floorOrCeilScaled(places: number, ceil: boolean): bigint {
    refuseSpecial(this);
    const e = this.exponent + places;
    if (e >= 0) return this.signed * 10n ** BigInt(e);
    const p = 10n ** BigInt(-e);
    const q = this.signed / p;
    const exact = this.signed % p === 0n;
    if (exact) return q;
    return ceil ? (this.signed > 0n ? q + 1n : q) : this.signed < 0n ? q - 1n : q;
  }

  __pos__(): PyDecimal {
    return fix(this.coefficient === 0n && !this.special ? new PyDecimal(false, 0n, this.exponent) : this);
  }

  __abs__(): PyDecimal {
    return fix(new PyDecimal(false, this.coefficient, this.exponent, this.special));
  }

  /** Python `==`: with an int, a Decimal or a float, by value; NaN equals nothing. */
  __eq__(other: unknown): boolean | undefined {
    const r = this.compareTo(other);
    return r === undefined ? (other instanceof PyDecimal || isNumberLike(other) ? false : undefined) : r === 0;
  }

  /** Ordering against an int, a Decimal or a float (exact, as Python 3); undefined when unorderable. */
  __cmp__(other: unknown): number | undefined {
    if (this.special === 'nan' || (other instanceof PyDecimal && other.special === 'nan')) {
      throw pyError('InvalidOperation', "[<class 'decimal.InvalidOperation'>]", 'A NaN cannot be ordered; test it with `is none` or compare to another value first.');
    }
    return this.compareTo(other);
  }

  private compareTo(other: unknown): number | undefined {
    let b = PyDecimal.of(other);
    if (!b && (typeof other === 'number' || other instanceof PyFloat)) b = exactFloat(Number(other));
    if (!b || this.special === 'nan' || b.special === 'nan') return undefined;
    return compare(this, b);
  }
}

exposeMembers(PyDecimal, []);

function isNumberLike(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v instanceof PyFloat;
}

function negate(d: PyDecimal): PyDecimal {
  return construct(!d.negative, d.coefficient, d.exponent, d.special);
}

function construct(negative: boolean, coefficient: bigint, exponent: number, special?: Special): PyDecimal {
  return new PyDecimal(negative, coefficient, exponent, special);
}

function digitCount(c: bigint): number {
  return c === 0n ? 1 : c.toString().length;
}

/** Round |c| to drop `drop` digits, half to even. */
function roundDigits(c: bigint, drop: number): bigint {
  if (drop <= 0) return c;
  const p = 10n ** BigInt(drop);
  const q = c / p;
  const r = c % p;
  const half = p / 2n;
  if (r > half || (r === half && q % 2n === 1n)) return q + 1n;
  return q;
}

/** The default context's rounding: at most 28 significant digits, half to even. */
function fix(d: PyDecimal): PyDecimal {
  if (d.special) return d;
  const n = digitCount(d.coefficient);
  if (n <= PREC) return d;
  const drop = n - PREC;
  let c = roundDigits(d.coefficient, drop);
  let e = d.exponent + drop;
  if (digitCount(c) > PREC) {
    c /= 10n;
    e += 1;
  }
  return construct(d.negative, c, e);
}

/** `d` with exponent `exp` (half to even), as Decimal.quantize; more than 28 digits is InvalidOperation. */
function rescale(d: PyDecimal, exp: number): PyDecimal {
  if (d.special) return d;
  let c: bigint;
  if (exp <= d.exponent) c = d.coefficient * 10n ** BigInt(d.exponent - exp);
  else c = roundDigits(d.coefficient, exp - d.exponent);
  if (digitCount(c) > PREC) throw pyError('InvalidOperation', "[<class 'decimal.InvalidOperation'>]", 'The rounded value has more than 28 digits.');
  return construct(d.negative, c, exp);
}

/** Fixed notation of a finite Decimal (no exponent), as `.Nf` formatting writes it. */
function plain(d: PyDecimal): string {
  const digits = d.coefficient.toString();
  const sign = d.negative ? '-' : '';
  if (d.exponent >= 0) return sign + digits + '0'.repeat(d.exponent);
  const frac = -d.exponent;
  const padded = digits.padStart(frac + 1, '0');
  return `${sign}${padded.slice(0, padded.length - frac)}.${padded.slice(padded.length - frac)}`;
}

/** Python's error for int(), math.floor() or math.ceil() of a NaN or an infinity; nothing for a finite value. */
function refuseSpecial(d: PyDecimal): void {
  if (d.special === 'nan') throw pyError('ValueError', 'cannot convert NaN to integer');
  if (d.special === 'inf') throw pyError('OverflowError', 'cannot convert Infinity to integer');
}

function infinityOf(negative: boolean): PyDecimal {
  return construct(negative, 0n, 0, 'inf');
}

function nan(): PyDecimal {
  return construct(false, 0n, 0, 'nan');
}

function invalid(): never {
  throw pyError('InvalidOperation', "[<class 'decimal.InvalidOperation'>]", 'The operation has no defined result for these values.');
}

function add(a: PyDecimal, b: PyDecimal): PyDecimal {
  if (a.special || b.special) {
    if (a.special === 'nan' || b.special === 'nan') return nan();
    if (a.special && b.special && a.negative !== b.negative) invalid();
    return a.special ? a : b;
  }
  const e = Math.min(a.exponent, b.exponent);
  const x = (a.negative ? -a.coefficient : a.coefficient) * 10n ** BigInt(a.exponent - e);
  const y = (b.negative ? -b.coefficient : b.coefficient) * 10n ** BigInt(b.exponent - e);
  const s = x + y;
  // An exact zero is positive, unless both operands were negative (round-half-even's rule).
  const negative = s < 0n || (s === 0n && a.negative && b.negative);
  return fix(construct(negative, s < 0n ? -s : s, e));
}

function multiply(a: PyDecimal, b: PyDecimal): PyDecimal {
  const negative = a.negative !== b.negative;
  if (a.special || b.special) {
    if (a.special === 'nan' || b.special === 'nan') return nan();
    if ((!a.special && a.coefficient === 0n) || (!b.special && b.coefficient === 0n)) invalid();
    return infinityOf(negative);
  }
  return fix(construct(negative, a.coefficient * b.coefficient, a.exponent + b.exponent));
}

function divide(a: PyDecimal, b: PyDecimal): PyDecimal {
  const negative = a.negative !== b.negative;
  if (a.special || b.special) {
    if (a.special === 'nan' || b.special === 'nan') return nan();
    if (a.special && b.special) invalid();
    return a.special ? infinityOf(negative) : construct(negative, 0n, -1_000_026);
  }
  if (b.coefficient === 0n) {
    if (a.coefficient === 0n) throw pyError('InvalidOperation', "[<class 'decimal.DivisionUndefined'>]", 'Both sides are zero: test the divisor first.');
    throw pyError('DivisionByZero', "[<class 'decimal.DivisionByZero'>]", 'Test the divisor first, e.g. {% if d != 0 %}.');
  }
  const ideal = a.exponent - b.exponent;
  if (a.coefficient === 0n) return construct(negative, 0n, ideal);
  const shift = digitCount(b.coefficient) - digitCount(a.coefficient) + PREC + 1;
  let exp = ideal - shift;
  let coeff: bigint;
  let rest: bigint;
  if (shift >= 0) {
    const n = a.coefficient * 10n ** BigInt(shift);
    coeff = n / b.coefficient;
    rest = n % b.coefficient;
  } else {
    const m = b.coefficient * 10n ** BigInt(-shift);
    coeff = a.coefficient / m;
    rest = a.coefficient % m;
  }
  if (rest !== 0n) {
    // Inexact: a last digit of 0 or 5 moved off the tie so the rounding below goes the right way.
    if (coeff % 5n === 0n) coeff += 1n;
  } else {
    while (exp < ideal && coeff % 10n === 0n) {
      coeff /= 10n;
      exp += 1;
    }
  }
  return fix(construct(negative, coeff, exp));
}

/** `//`: the quotient truncated toward zero (Decimal's, not int's floor), exponent 0. */
function divideInteger(a: PyDecimal, b: PyDecimal): PyDecimal {
  const negative = a.negative !== b.negative;
  if (a.special || b.special) {
    if (a.special === 'nan' || b.special === 'nan') return nan();
    if (a.special && b.special) invalid();
    return a.special ? infinityOf(negative) : construct(negative, 0n, 0);
  }
  if (b.coefficient === 0n) {
    if (a.coefficient === 0n) throw pyError('InvalidOperation', "[<class 'decimal.DivisionUndefined'>]", 'Both sides are zero: test the divisor first.');
    throw pyError('DivisionByZero', "[<class 'decimal.DivisionByZero'>]", 'Test the divisor first, e.g. {% if d != 0 %}.');
  }
  const [x, y] = aligned(a, b);
  const q = x / y;
  if (digitCount(q) > PREC) throw pyError('InvalidOperation', "[<class 'decimal.DivisionImpossible'>]", 'The quotient has more than 28 digits.');
  return construct(negative, q, 0);
}

/** `%`: what `//` leaves, with the dividend's sign, at the smaller exponent. */
function remainder(a: PyDecimal, b: PyDecimal): PyDecimal {
  if (a.special || b.special) {
    if (a.special === 'nan' || b.special === 'nan') return nan();
    if (a.special) invalid();
    return fix(a);
  }
  if (b.coefficient === 0n) throw pyError('InvalidOperation', a.coefficient === 0n ? "[<class 'decimal.DivisionUndefined'>]" : "[<class 'decimal.InvalidOperation'>]", 'Test the divisor first.');
  const [x, y] = aligned(a, b);
  if (digitCount(x / y) > PREC) throw pyError('InvalidOperation', "[<class 'decimal.DivisionImpossible'>]", 'The quotient has more than 28 digits.');
  return fix(construct(a.negative, x % y, Math.min(a.exponent, b.exponent)));
}

/** Both coefficients (unsigned) at the smaller exponent. */
function aligned(a: PyDecimal, b: PyDecimal): [bigint, bigint] {
  const e = Math.min(a.exponent, b.exponent);
  return [a.coefficient * 10n ** BigInt(a.exponent - e), b.coefficient * 10n ** BigInt(b.exponent - e)];
}

/** `**` with a whole exponent (exact, then rounded once); any other exponent is left out. */
function power(a: PyDecimal, b: PyDecimal): PyDecimal {
  if (a.special || b.special) invalid();
  const n = b.exponent >= 0 ? b.coefficient * 10n ** BigInt(b.exponent) : b.coefficient % 10n ** BigInt(-b.exponent) === 0n ? b.coefficient / 10n ** BigInt(-b.exponent) : undefined;
  if (n === undefined || n > 10_000n) throw pyError('TypeError', 'tsdbt computes a Decimal to a whole power of at most 10000 only', 'Convert to float first: (x | float) ** y.');
  const k = Number(n);
  if (k === 0) return construct(false, 1n, 0);
  const raised = construct(a.negative && k % 2 === 1, a.coefficient ** BigInt(k), a.exponent * k);
  if (!b.negative) return fix(raised);
  return divide(construct(false, 1n, 0), raised);
}

function compare(a: PyDecimal, b: PyDecimal): number {
  const sa = a.special === 'inf' ? (a.negative ? -2 : 2) : a.coefficient === 0n ? 0 : a.negative ? -1 : 1;
  const sb = b.special === 'inf' ? (b.negative ? -2 : 2) : b.coefficient === 0n ? 0 : b.negative ? -1 : 1;
  if (Math.abs(sa) === 2 || Math.abs(sb) === 2 || sa !== sb || sa === 0) return Math.sign(sa - sb);
  const [x, y] = aligned(a, b);
  const r = x < y ? -1 : x > y ? 1 : 0;
  return a.negative ? -r : r;
}

/** A finite float's exact value (Decimal.from_float); NaN and the infinities as Decimal's. */
function exactFloat(f: number): PyDecimal {
  if (Number.isNaN(f)) return nan();
  if (!Number.isFinite(f)) return infinityOf(f < 0);
  if (f === 0) return construct(Object.is(f, -0), 0n, 0);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, f);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let e2: number;
  if (biased === 0) e2 = -1074;
  else {
    mantissa |= 1n << 52n;
    e2 = biased - 1075;
  }
  // mantissa x 2^e2 = mantissa x 5^-e2 x 10^e2 when e2 < 0.
  if (e2 >= 0) return construct(f < 0, mantissa << BigInt(e2), 0);
  return construct(f < 0, mantissa * 5n ** BigInt(-e2), e2);
}
