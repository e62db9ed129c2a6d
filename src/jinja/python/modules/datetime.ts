/**
 * Python's datetime.date, datetime.time and datetime.datetime as template
 * values: str()/repr() as Python prints them, arithmetic with timedelta
 * through the operator hooks (`__add__`, `__sub__`), comparisons (`__cmp__`),
 * strftime/isoformat/replace/... methods, year/month/... attributes.
 *
 * An aware datetime keeps its wall-clock fields plus the UTC offset fixed
 * when it was made (pytz style), and its tzinfo for names and conversions.
 */
import { absent, bindParams } from '../args.js';
import { pyError } from '../errors.js';
import { pyFloat, toNum } from '../py-float.js';
import { pyTuple, pyTypeName } from '../types.js';
import { daysFromCivil, daysInMonth, isoCalendar, pad, toOrdinal, weekday } from './calendar.js';
import { strftime } from './strftime.js';
import { PyTimedelta } from './timedelta.js';
import { fieldsOf, formatOffset, PytzZone, type TzInfo } from './tz.js';

function intField(v: unknown, name: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw pyError('TypeError', `'${pyTypeName(v)}' object cannot be interpreted as an integer`, `${name} must be an integer.`);
}

export function checkDate(y: number, m: number, d: number): void {
  if (y < 1 || y > 9999) throw pyError('ValueError', `year ${y} is out of range`);
  if (m < 1 || m > 12) throw pyError('ValueError', 'month must be in 1..12');
  if (d < 1 || d > daysInMonth(y, m)) throw pyError('ValueError', 'day is out of range for month');
}

function checkTime(h: number, mi: number, s: number, us: number): void {
  if (h < 0 || h > 23) throw pyError('ValueError', 'hour must be in 0..23');
  if (mi < 0 || mi > 59) throw pyError('ValueError', 'minute must be in 0..59');
  if (s < 0 || s > 59) throw pyError('ValueError', 'second must be in 0..59');
  if (us < 0 || us > 999999) throw pyError('ValueError', 'microsecond must be in 0..999999');
}

function timeString(h: number, mi: number, s: number, us: number, timespec = 'auto'): string {
  const base = `${pad(h)}:${pad(mi)}`;
  switch (timespec) {
    case 'hours':
      return pad(h);
    case 'minutes':
      return base;
    case 'seconds':
      return `${base}:${pad(s)}`;
    case 'milliseconds':
      return `${base}:${pad(s)}.${pad(Math.floor(us / 1000), 3)}`;
    case 'microseconds':
      return `${base}:${pad(s)}.${pad(us, 6)}`;
    case 'auto':
      return us ? `${base}:${pad(s)}.${pad(us, 6)}` : `${base}:${pad(s)}`;
  }
  throw pyError('ValueError', 'Unknown timespec value', "Use 'auto', 'hours', 'minutes', 'seconds', 'milliseconds' or 'microseconds'.");
}

export class PyDate {
  readonly __class__: string = 'datetime.date';
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {
    checkDate(year, month, day);
  }

  protected days(): number {
    return daysFromCivil(this.year, this.month, this.day);
  }

  static fromDays(days: number): PyDate {
    const f = fieldsOf(days * 86400);
    return new PyDate(f.year, f.month, f.day);
  }

  isoformat(): string {
    return `${pad(this.year, 4)}-${pad(this.month)}-${pad(this.day)}`;
  }
  strftime(fmt: unknown): string {
    return strftime({ year: this.year, month: this.month, day: this.day, hour: 0, minute: 0, second: 0, microsecond: 0, offset: null, tzname: '' }, String(fmt));
  }
  weekday(): number {
    return weekday(this.year, this.month, this.day);
  }
  isoweekday(): number {
    return this.weekday() + 1;
  }
  isocalendar(): unknown {
    return pyTuple(isoCalendar(this.year, this.month, this.day));
  }
  toordinal(): number {
    return toOrdinal(this.year, this.month, this.day);
  }
  ctime(): string {
    return this.strftime('%a %b %e %H:%M:%S %Y');
  }
  replace(...raw: unknown[]): PyDate {
    const [y, m, d] = bindParams('replace', raw, ['year', 'month', 'day']);
    return new PyDate(absent(y) ? this.year : intField(y, 'year'), absent(m) ? this.month : intField(m, 'month'), absent(d) ? this.day : intField(d, 'day'));
  }
  __str__(): string {
    return this.isoformat();
  }
  __repr__(): string {
    return `datetime.date(${this.year}, ${this.month}, ${this.day})`;
  }
  toString(): string {
    return this.__str__();
  }
  __format__(spec: string): string {
    return spec ? this.strftime(spec) : this.__str__();
  }
  toJSON(): never {
    throw pyError('TypeError', `Object of type ${this.__class__.split('.')[1]} is not JSON serializable`, 'Convert it first, e.g. d.isoformat().');
  }
  __eq__(o: unknown): boolean | undefined {
    if (o instanceof PyDateTime || !(o instanceof PyDate)) return o instanceof PyDateTime ? false : undefined;
    return this.days() === o.days();
  }
  __cmp__(o: unknown): number | undefined {
    if (!(o instanceof PyDate) || o instanceof PyDateTime) {
      if (o instanceof PyDate || o instanceof PyDateTime) throw pyError('TypeError', `can't compare ${this.__class__} to ${(o as PyDate).__class__}`);
      return undefined;
    }
    return Math.sign(this.days() - o.days());
  }
  __add__(o: unknown): unknown {
    if (o instanceof PyTimedelta) return PyDate.fromDays(this.days() + o.days);
    return undefined;
  }
  __radd__(o: unknown): unknown {
    return this.__add__(o);
  }
  __sub__(o: unknown): unknown {
    if (o instanceof PyTimedelta) return PyDate.fromDays(this.days() - o.days);
    if (o instanceof PyDate && !(o instanceof PyDateTime)) return new PyTimedelta(this.days() - o.days(), 0, 0);
    return undefined;
  }
}

export class PyTime {
  readonly __class__ = 'datetime.time';
  constructor(
    readonly hour: number,
    readonly minute: number,
    readonly second: number,
    readonly microsecond: number,
    readonly tzinfo: TzInfo | null = null,
  ) {
    checkTime(hour, minute, second, microsecond);
  }
  private offset(): number | null {
    return this.tzinfo ? this.tzinfo.attachOffset(0) : null;
  }
  isoformat(...raw: unknown[]): string {
    const [timespec] = bindParams('isoformat', raw, ['timespec']);
    const off = this.offset();
    return timeString(this.hour, this.minute, this.second, this.microsecond, absent(timespec) ? 'auto' : String(timespec)) + (off === null ? '' : formatOffset(off));
  }
  strftime(fmt: unknown): string {
    const off = this.offset();
    return strftime({ year: 1900, month: 1, day: 1, hour: this.hour, minute: this.minute, second: this.second, microsecond: this.microsecond, offset: off, tzname: this.tzinfo ? this.tzinfo.nameAt(0, off ?? 0) : '' }, String(fmt));
  }
  replace(...raw: unknown[]): PyTime {
    const [h, mi, s, us, tz] = bindParams('replace', raw, ['hour', 'minute', 'second', 'microsecond', 'tzinfo']);
    return new PyTime(absent(h) ? this.hour : intField(h, 'hour'), absent(mi) ? this.minute : intField(mi, 'minute'), absent(s) ? this.second : intField(s, 'second'), absent(us) ? this.microsecond : intField(us, 'microsecond'), tz === undefined ? this.tzinfo : (tz as TzInfo | null));
  }
  private secs(): number {
    return this.hour * 3600 + this.minute * 60 + this.second + this.microsecond / 1e6;
  }
  __str__(): string {
    return this.isoformat();
  }
  __repr__(): string {
    const parts = [this.hour, this.minute];
    if (this.second || this.microsecond) parts.push(this.second);
    if (this.microsecond) parts.push(this.microsecond);
    return `datetime.time(${parts.join(', ')}${this.tzinfo ? `, tzinfo=${this.tzinfo.__repr__()}` : ''})`;
  }
  toString(): string {
    return this.__str__();
  }
  __format__(spec: string): string {
    return spec ? this.strftime(spec) : this.__str__();
  }
  __bool__(): boolean {
    return true;
  }
  __eq__(o: unknown): boolean | undefined {
    return o instanceof PyTime ? this.secs() === o.secs() : undefined;
  }
  __cmp__(o: unknown): number | undefined {
    return o instanceof PyTime ? Math.sign(this.secs() - o.secs()) : undefined;
  }
}

/** Seconds since the epoch of a naive local time, using the machine's zone (as Python's naive timestamp() does). */
function localOffsetFor(wall: number): number {
  const f = fieldsOf(wall);
  const d = new Date(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  d.setFullYear(f.year);
  return -d.getTimezoneOffset() * 60;
}

export class PyDateTime extends PyDate {
  override readonly __class__: string = 'datetime.datetime';
  constructor(
    year: number,
    month: number,
    day: number,
    readonly hour = 0,
    readonly minute = 0,
    readonly second = 0,
    readonly microsecond = 0,
    readonly tzinfo: TzInfo | null = null,
    /** Offset east of UTC in seconds, fixed when made; null when naive. */
    readonly offset: number | null = null,
  ) {
    super(year, month, day);
    checkTime(hour, minute, second, microsecond);
    if (tzinfo && offset === null) this.offset = tzinfo.attachOffset(this.wall());
  }

  /** Wall-clock seconds since the epoch, as if UTC. */
  wall(): number {
    return this.days() * 86400 + this.hour * 3600 + this.minute * 60 + this.second;
  }

  /** UTC seconds since the epoch (aware), or the wall seconds (naive). */
  instant(): number {
    return this.wall() - (this.offset ?? 0);
  }

  static fromWall(wall: number, us: number, tz: TzInfo | null, offset: number | null): PyDateTime {
    const f = fieldsOf(wall);
    return new PyDateTime(f.year, f.month, f.day, f.hour, f.minute, f.second, us, tz, offset);
  }

  /** An aware datetime in `tz` for a UTC instant. */
  static fromUtc(utc: number, us: number, tz: TzInfo): PyDateTime {
    const off = tz.offsetAtUtc(utc);
    return PyDateTime.fromWall(utc + off, us, tz, off);
  }

  date(): PyDate {
    return new PyDate(this.year, this.month, this.day);
  }
  time(): PyTime {
    return new PyTime(this.hour, this.minute, this.second, this.microsecond);
  }
  timetz(): PyTime {
    return new PyTime(this.hour, this.minute, this.second, this.microsecond, this.tzinfo);
  }
  timestamp(): unknown {
    const utc = this.offset === null ? this.wall() - localOffsetFor(this.wall()) : this.instant();
    return pyFloat(utc + this.microsecond / 1e6);
  }
  utcoffset(): PyTimedelta | null {
    return this.offset === null ? null : new PyTimedelta(0, this.offset, 0);
  }
  tzname(): string | null {
    return this.tzinfo ? this.tzinfo.nameAt(this.instant(), this.offset ?? 0) : null;
  }
  astimezone(tz?: unknown): PyDateTime {
    const target = (absent(tz) ? null : tz) as TzInfo | null;
    const utc = this.offset === null ? this.wall() - localOffsetFor(this.wall()) : this.instant();
    if (!target) {
      const off = localOffsetFor(utc + 0);
      return PyDateTime.fromWall(utc + off, this.microsecond, null, null);
    }
    return PyDateTime.fromUtc(utc, this.microsecond, target);
  }
  override isoformat(...raw: unknown[]): string {
    const [sep, timespec] = bindParams('isoformat', raw, ['sep', 'timespec']);
    const t = timeString(this.hour, this.minute, this.second, this.microsecond, absent(timespec) ? 'auto' : String(timespec));
    return `${super.isoformat()}${absent(sep) ? 'T' : String(sep)}${t}${this.offset === null ? '' : formatOffset(this.offset)}`;
  }
  override strftime(fmt: unknown): string {
    return strftime(
      { year: this.year, month: this.month, day: this.day, hour: this.hour, minute: this.minute, second: this.second, microsecond: this.microsecond, offset: this.offset, tzname: this.tzname() ?? '' },
      String(fmt),
    );
  }
  override replace(...raw: unknown[]): PyDateTime {
    const [y, mo, d, h, mi, s, us, tz] = bindParams('replace', raw, ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond', 'tzinfo']);
    const pick = (v: unknown, cur: number, name: string): number => (absent(v) ? cur : intField(v, name));
    const newTz = tz === undefined ? this.tzinfo : (tz as TzInfo | null);
    const keepOffset = tz === undefined ? this.offset : null;
    return new PyDateTime(pick(y, this.year, 'year'), pick(mo, this.month, 'month'), pick(d, this.day, 'day'), pick(h, this.hour, 'hour'), pick(mi, this.minute, 'minute'), pick(s, this.second, 'second'), pick(us, this.microsecond, 'microsecond'), newTz, newTz && tz === undefined ? keepOffset : null);
  }
  override ctime(): string {
    return this.strftime('%a %b %e %H:%M:%S %Y');
  }
  override __str__(): string {
    return this.isoformat(' ');
  }
  override __repr__(): string {
    const parts = [this.year, this.month, this.day, this.hour, this.minute];
    if (this.second || this.microsecond) parts.push(this.second);
    if (this.microsecond) parts.push(this.microsecond);
    return `datetime.datetime(${parts.join(', ')}${this.tzinfo ? `, tzinfo=${this.tzinfo.__repr__()}` : ''})`;
  }
  private compareKey(o: PyDateTime, op: string): [number, number] {
    if ((this.offset === null) !== (o.offset === null)) {
      if (op === '==') return [NaN, NaN];
      throw pyError('TypeError', `can't ${op === '-' ? 'subtract' : 'compare'} offset-naive and offset-aware datetimes`, 'Make both naive, or both aware (e.g. with pytz.utc.localize).');
    }
    return [this.instant() - o.instant(), this.microsecond - o.microsecond];
  }
  override __eq__(o: unknown): boolean | undefined {
    if (!(o instanceof PyDateTime)) return o instanceof PyDate ? false : undefined;
    const [s, us] = this.compareKey(o, '==');
    return s === 0 && us === 0;
  }
  override __cmp__(o: unknown): number | undefined {
    if (!(o instanceof PyDateTime)) {
      if (o instanceof PyDate) throw pyError('TypeError', `can't compare datetime.datetime to datetime.date`);
      return undefined;
    }
    const [s, us] = this.compareKey(o, '<');
    return Math.sign(s || us);
  }
  override __add__(o: unknown): unknown {
    if (!(o instanceof PyTimedelta)) return undefined;
    let us = this.microsecond + o.microseconds;
    const carry = Math.floor(us / 1e6);
    us -= carry * 1e6;
    const wall = this.wall() + o.days * 86400 + o.seconds + carry;
    return PyDateTime.fromWall(wall, us, this.tzinfo, this.offset);
  }
  override __sub__(o: unknown): unknown {
    if (o instanceof PyTimedelta) return this.__add__(o.__neg__());
    if (o instanceof PyDateTime) {
      const [s, us] = this.compareKey(o, '-');
      return new PyTimedelta(0, s, us);
    }
    return undefined;
  }
}

/** Build a datetime from template arguments (year, month, day, hour, minute, second, microsecond, tzinfo). */
export function makeDateTime(raw: unknown[]): PyDateTime {
  const [y, mo, d, h, mi, s, us, tz] = bindParams('datetime', raw, ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond', 'tzinfo'], 3);
  const n = (v: unknown, name: string): number => (absent(v) ? 0 : intField(v, name));
  return new PyDateTime(intField(y, 'year'), intField(mo, 'month'), intField(d, 'day'), n(h, 'hour'), n(mi, 'minute'), n(s, 'second'), n(us, 'microsecond'), absent(tz) ? null : (tz as TzInfo));
}

export function makeDate(raw: unknown[]): PyDate {
  const [y, m, d] = bindParams('date', raw, ['year', 'month', 'day'], 3);
  return new PyDate(intField(y, 'year'), intField(m, 'month'), intField(d, 'day'));
}

export function makeTime(raw: unknown[]): PyTime {
  const [h, mi, s, us, tz] = bindParams('time', raw, ['hour', 'minute', 'second', 'microsecond', 'tzinfo']);
  const n = (v: unknown, name: string): number => (absent(v) ? 0 : intField(v, name));
  return new PyTime(n(h, 'hour'), n(mi, 'minute'), n(s, 'second'), n(us, 'microsecond'), absent(tz) ? null : (tz as TzInfo));
}

/** Split a possibly fractional POSIX timestamp into whole seconds and microseconds. */
export function splitTimestamp(ts: unknown): [number, number] {
  const t = toNum(ts);
  if (!Number.isFinite(t)) throw pyError('ValueError', 'cannot convert float NaN or infinity to a timestamp');
  const sec = Math.floor(t);
  let us = Math.round((t - sec) * 1e6);
  let s = sec;
  if (us >= 1e6) {
    s += 1;
    us -= 1e6;
  }
  return [s, us];
}

export { PytzZone };
