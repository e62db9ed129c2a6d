/**
 * Python's datetime.timedelta: (days, seconds, microseconds) normalized as
 * Python does (0 <= seconds < 86400, 0 <= microseconds < 1e6, days signed).
 */
import { pyError } from '../errors.js';
import { isFloatValue, isNumeric, pyFloat, toNum } from '../py-float.js';
import { pyTypeName } from '../types.js';
import { pad } from './calendar.js';

export class PyTimedelta {
  readonly __class__ = 'datetime.timedelta';
  readonly days: number;
  readonly seconds: number;
  readonly microseconds: number;

  constructor(days: number, seconds: number, microseconds: number) {
    const us0 = Math.round(microseconds);
    const carryS = Math.floor(us0 / 1e6);
    const s0 = seconds + carryS;
    const carryD = Math.floor(s0 / 86400);
    this.days = days + carryD;
    this.seconds = s0 - carryD * 86400;
    this.microseconds = us0 - carryS * 1e6;
    if (Math.abs(this.days) > 999999999) throw pyError('OverflowError', `days=${this.days}; must have magnitude <= 999999999`);
  }

  /** From a possibly fractional total of microseconds (rounded half to even, as Python). */
  static fromMicroseconds(total: number): PyTimedelta {
    let r = Math.round(total);
    if (Math.abs(total % 1) === 0.5 && r % 2 !== 0) r -= 1;
    const perDay = 86400e6;
    const days = Math.floor(r / perDay);
    const rest = r - days * perDay;
    return new PyTimedelta(days, Math.floor(rest / 1e6), rest - Math.floor(rest / 1e6) * 1e6);
  }

  /** Total microseconds as a JS number (exact up to ~285 years). */
  totalMicroseconds(): number {
    return (this.days * 86400 + this.seconds) * 1e6 + this.microseconds;
  }

  total_seconds(): unknown {
    return pyFloat(this.days * 86400 + this.seconds + this.microseconds / 1e6);
  }

  __str__(): string {
    const hh = Math.floor(this.seconds / 3600);
    const mm = Math.floor((this.seconds % 3600) / 60);
    const ss = this.seconds % 60;
    let s = `${hh}:${pad(mm)}:${pad(ss)}`;
    if (this.days) s = `${this.days} day${Math.abs(this.days) !== 1 ? 's' : ''}, ${s}`;
    if (this.microseconds) s += `.${pad(this.microseconds, 6)}`;
    return s;
  }

  __repr__(): string {
    const parts: string[] = [];
    if (this.days) parts.push(`days=${this.days}`);
    if (this.seconds) parts.push(`seconds=${this.seconds}`);
    if (this.microseconds) parts.push(`microseconds=${this.microseconds}`);
    return `datetime.timedelta(${parts.length ? parts.join(', ') : '0'})`;
  }

  toString(): string {
    return this.__str__();
  }

  __bool__(): boolean {
    return this.days !== 0 || this.seconds !== 0 || this.microseconds !== 0;
  }

  __eq__(o: unknown): boolean | undefined {
    return o instanceof PyTimedelta ? this.totalMicroseconds() === o.totalMicroseconds() : undefined;
  }

  __cmp__(o: unknown): number | undefined {
    if (!(o instanceof PyTimedelta)) return undefined;
    return Math.sign(this.days - o.days || this.seconds - o.seconds || this.microseconds - o.microseconds);
  }

  __add__(o: unknown): unknown {
    if (o instanceof PyTimedelta) return new PyTimedelta(this.days + o.days, this.seconds + o.seconds, this.microseconds + o.microseconds);
    const radd = o !== null && typeof o === 'object' ? (o as { __add__?: (x: unknown) => unknown }).__add__ : undefined;
    return typeof radd === 'function' && !(o instanceof PyTimedelta) ? radd.call(o, this) : undefined;
  }

  __sub__(o: unknown): unknown {
    if (o instanceof PyTimedelta) return new PyTimedelta(this.days - o.days, this.seconds - o.seconds, this.microseconds - o.microseconds);
    return undefined;
  }

  __neg__(): PyTimedelta {
    return new PyTimedelta(-this.days, -this.seconds, -this.microseconds);
  }

  __mul__(o: unknown): unknown {
    if (typeof o === 'number' && Number.isInteger(o)) return new PyTimedelta(this.days * o, this.seconds * o, this.microseconds * o);
    if (isNumeric(o) && typeof o !== 'boolean') return PyTimedelta.fromMicroseconds(this.totalMicroseconds() * toNum(o));
    return undefined;
  }

  __rmul__(o: unknown): unknown {
    return this.__mul__(o);
  }

  __truediv__(o: unknown): unknown {
    if (o instanceof PyTimedelta) {
      if (!o.__bool__()) throw pyError('ZeroDivisionError', 'division by zero');
      return pyFloat(this.totalMicroseconds() / o.totalMicroseconds());
    }
    if (isNumeric(o)) {
      if (toNum(o) === 0) throw pyError('ZeroDivisionError', 'division by zero');
      return PyTimedelta.fromMicroseconds(this.totalMicroseconds() / toNum(o));
    }
    return undefined;
  }

  __floordiv__(o: unknown): unknown {
    if (o instanceof PyTimedelta) {
      if (!o.__bool__()) throw pyError('ZeroDivisionError', 'integer division or modulo by zero');
      return Math.floor(this.totalMicroseconds() / o.totalMicroseconds());
    }
    if (isNumeric(o) && !isFloatValue(o)) {
      if (toNum(o) === 0) throw pyError('ZeroDivisionError', 'integer division or modulo by zero');
      return PyTimedelta.fromMicroseconds(Math.floor(this.totalMicroseconds() / toNum(o)));
    }
    if (isNumeric(o)) throw pyError('TypeError', `unsupported operand type(s) for //: 'datetime.timedelta' and '${pyTypeName(o)}'`);
    return undefined;
  }
}

/** timedelta(days, seconds, microseconds, milliseconds, minutes, hours, weeks), each possibly fractional. */
export function makeTimedelta(parts: { days?: unknown; seconds?: unknown; microseconds?: unknown; milliseconds?: unknown; minutes?: unknown; hours?: unknown; weeks?: unknown }): PyTimedelta {
  const n = (v: unknown, name: string): number => {
    if (v === undefined || v === null) return 0;
    if (!isNumeric(v)) throw pyError('TypeError', `unsupported type for timedelta ${name} component: ${pyTypeName(v)}`);
    return toNum(v);
  };
  const d = n(parts.days, 'days') + n(parts.weeks, 'weeks') * 7;
  const s = n(parts.seconds, 'seconds') + n(parts.minutes, 'minutes') * 60 + n(parts.hours, 'hours') * 3600;
  const us = n(parts.microseconds, 'microseconds') + n(parts.milliseconds, 'milliseconds') * 1000;
  if (Number.isInteger(d) && Number.isInteger(s) && Number.isInteger(us)) return new PyTimedelta(d, s, us);
  return PyTimedelta.fromMicroseconds(d * 86400e6 + s * 1e6 + us);
}
