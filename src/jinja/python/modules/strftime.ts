/**
 * strftime/strptime with the directives of Python on Linux (glibc):
 * %a %A %b %B %c %C %d %D %e %f %F %G %H %I %j %m %M %n %p %R %S %t %T %u
 * %U %V %w %W %x %X %y %Y %z %Z %%, and glibc's %-d style unpadded forms.
 */
import { pyError } from '../errors.js';
import { DAY_NAMES, dayOfYear, isoCalendar, MONTH_NAMES, pad, weekday } from './calendar.js';
import { formatOffset } from './tz.js';

export interface TimeFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
  /** Seconds east of UTC, or null when naive. */
  offset: number | null;
  tzname: string;
}

function weekOfYear(f: TimeFields, firstDay: 0 | 1): number {
  // %U: weeks start Sunday (firstDay 0); %W: Monday (1). Days before the first such day are week 0.
  const doy = dayOfYear(f.year, f.month, f.day) - 1;
  const wd = (weekday(f.year, f.month, f.day) + (firstDay === 0 ? 1 : 0)) % 7; // days since the week's first day
  return Math.floor((doy + 7 - wd) / 7);
}

export function strftime(f: TimeFields, fmt: string): string {
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%' || i === fmt.length - 1) {
      out += c;
      continue;
    }
    let d = fmt[++i];
    let noPad = false;
    if (d === '-' && i < fmt.length - 1) {
      noPad = true;
      d = fmt[++i];
    }
    const p = (n: number, w = 2): string => (noPad ? String(n) : pad(n, w));
    const wd = weekday(f.year, f.month, f.day);
    switch (d) {
      case 'a':
        out += DAY_NAMES[wd].slice(0, 3);
        break;
      case 'A':
        out += DAY_NAMES[wd];
        break;
      case 'b':
      case 'h':
        out += MONTH_NAMES[f.month - 1].slice(0, 3);
        break;
      case 'B':
        out += MONTH_NAMES[f.month - 1];
        break;
      case 'c':
        out += strftime(f, '%a %b %e %H:%M:%S %Y');
        break;
      case 'C':
        out += p(Math.floor(f.year / 100));
        break;
      case 'd':
        out += p(f.day);
        break;
      case 'D':
        out += strftime(f, '%m/%d/%y');
        break;
      case 'e':
        out += noPad ? String(f.day) : String(f.day).padStart(2, ' ');
        break;
      case 'f':
        out += pad(f.microsecond, 6);
        break;
      case 'F':
        out += strftime(f, '%Y-%m-%d');
        break;
      case 'G':
        out += String(isoCalendar(f.year, f.month, f.day)[0]);
        break;
      case 'H':
        out += p(f.hour);
        break;
      case 'I':
        out += p(f.hour % 12 === 0 ? 12 : f.hour % 12);
        break;
      case 'j':
        out += p(dayOfYear(f.year, f.month, f.day), 3);
        break;
      case 'm':
        out += p(f.month);
        break;
      case 'M':
        out += p(f.minute);
        break;
      case 'n':
        out += '\n';
        break;
      case 'p':
        out += f.hour < 12 ? 'AM' : 'PM';
        break;
      case 'R':
        out += strftime(f, '%H:%M');
        break;
      case 'S':
        out += p(f.second);
        break;
      case 't':
        out += '\t';
        break;
      case 'T':
      case 'X':
        out += strftime(f, '%H:%M:%S');
        break;
      case 'u':
        out += String(wd + 1);
        break;
      case 'U':
        out += p(weekOfYear(f, 0));
        break;
      case 'V':
        out += p(isoCalendar(f.year, f.month, f.day)[1]);
        break;
      case 'w':
        out += String((wd + 1) % 7);
        break;
      case 'W':
        out += p(weekOfYear(f, 1));
        break;
      case 'x':
        out += strftime(f, '%m/%d/%y');
        break;
      case 'y':
        out += p(f.year % 100);
        break;
      case 'Y':
        out += String(f.year);
        break;
      case 'z':
        out += f.offset === null ? '' : formatOffset(f.offset, '');
        break;
      case 'Z':
        out += f.offset === null ? '' : f.tzname;
        break;
      case '%':
        out += '%';
        break;
      default:
        out += `%${noPad ? '-' : ''}${d}`;
    }
  }
  return out;
}

export interface ParsedTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
  offset: number | null;
  tzname?: string;
}

const NAME_ALT = (names: string[]): string => `(${names.map((n) => `${n}|${n.slice(0, 3)}`).join('|')})`;

const PARTS: Record<string, string> = {
  d: '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  e: '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  f: '(\\d{1,6})',
  H: '(2[0-3]|[0-1]\\d|\\d)',
  I: '(1[0-2]|0[1-9]|[1-9])',
  G: '(\\d\\d\\d\\d)',
  j: '(36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])',
  m: '(1[0-2]|0[1-9]|[1-9])',
  M: '([0-5]\\d|\\d)',
  S: '(6[0-1]|[0-5]\\d|\\d)',
  U: '(5[0-3]|[0-4]\\d|\\d)',
  W: '(5[0-3]|[0-4]\\d|\\d)',
  w: '([0-6])',
  u: '([1-7])',
  V: '(5[0-3]|0[1-9]|[1-4]\\d|\\d)',
  y: '(\\d\\d)',
  Y: '(\\d\\d\\d\\d)',
  z: '(Z|[+-]\\d\\d:?[0-5]\\d(?::?[0-5]\\d(?:\\.\\d{1,6})?)?)',
  Z: '(utc|gmt|[a-z]{3,5})',
  p: '(am|pm)',
  a: NAME_ALT(DAY_NAMES),
  A: NAME_ALT(DAY_NAMES),
  b: NAME_ALT(MONTH_NAMES),
  B: NAME_ALT(MONTH_NAMES),
};

/** Python's strptime: the whole string must match the format. */
export function strptime(text: string, fmt: string): ParsedTime {
  let re = '';
  const order: string[] = [];
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c === '%' && i < fmt.length - 1) {
      let d = fmt[++i];
      if (d === '-' && i < fmt.length - 1) d = fmt[++i];
      if (d === '%') re += '%';
      else if (d === 'T') {
        re += `${PARTS.H}:${PARTS.M}:${PARTS.S}`;
        order.push('H', 'M', 'S');
      } else if (d === 'F') {
        re += `${PARTS.Y}-${PARTS.m}-${PARTS.d}`;
        order.push('Y', 'm', 'd');
      } else if (PARTS[d]) {
        re += PARTS[d];
        order.push(d);
      } else throw pyError('ValueError', `'${d}' is a bad directive in format '${fmt}'`);
    } else if (/\s/.test(c)) {
      re += '\\s+';
      while (i + 1 < fmt.length && /\s/.test(fmt[i + 1])) i++;
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const m = new RegExp(`^${re}`, 'i').exec(text);
  if (!m) throw pyError('ValueError', `time data '${text}' does not match format '${fmt}'`, 'Make the format match the text, e.g. %Y-%m-%d for 2024-01-31.');
  if (m[0].length < text.length) throw pyError('ValueError', `unconverted data remains: ${text.slice(m[0].length)}`);
  const r: ParsedTime = { year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0, microsecond: 0, offset: null };
  let pm: boolean | undefined;
  let hour12: number | undefined;
  let doy: number | undefined;
  order.forEach((d, k) => {
    const v = m[k + 1];
    const n = Number(v);
    switch (d) {
      case 'Y':
        r.year = n;
        break;
      case 'y':
        r.year = n < 69 ? 2000 + n : 1900 + n;
        break;
      case 'm':
        r.month = n;
        break;
      case 'd':
      case 'e':
        r.day = Number(v.trim());
        break;
      case 'H':
        r.hour = n;
        break;
      case 'I':
        hour12 = n;
        break;
      case 'M':
        r.minute = n;
        break;
      case 'S':
        r.second = Math.min(n, 59);
        break;
      case 'f':
        r.microsecond = Number(v.padEnd(6, '0'));
        break;
      case 'p':
        pm = v.toLowerCase() === 'pm';
        break;
      case 'b':
      case 'B':
        r.month = MONTH_NAMES.findIndex((x) => x.slice(0, 3).toLowerCase() === v.slice(0, 3).toLowerCase()) + 1;
        break;
      case 'j':
        doy = n;
        break;
      case 'z':
        if (v.toUpperCase() === 'Z') r.offset = 0;
        else {
          const z = /^([+-])(\d\d):?(\d\d)(?::?(\d\d))?/.exec(v)!;
          r.offset = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 3600 + Number(z[3]) * 60 + Number(z[4] ?? 0));
        }
        break;
      case 'Z':
        r.tzname = v;
        break;
    }
  });
  if (hour12 !== undefined) r.hour = (hour12 % 12) + (pm ? 12 : 0);
  if (doy !== undefined) {
    const start = new Date(Date.UTC(2000, 0, 1));
    start.setUTCFullYear(r.year, 0, doy);
    r.month = start.getUTCMonth() + 1;
    r.day = start.getUTCDate();
  }
  return r;
}
