/**
 * Time zones for modules.datetime and modules.pytz: fixed offsets
 * (datetime.timezone) and IANA zones (pytz), the latter through Intl so no
 * tz database ships with tsdbt.
 */
import { pyError } from '../errors.js';
import { civilFromDays, daysFromCivil, pad } from './calendar.js';
import { PyTimedelta } from './timedelta.js';

/** What an aware datetime needs from its tzinfo. Offsets are in seconds east of UTC. */
export interface TzInfo {
  /** Offset for a UTC instant (seconds since the epoch). */
  offsetAtUtc(utcSeconds: number): number;
  /** Offset for a wall-clock time (seconds since the epoch as if UTC); isDst picks among ambiguous/nonexistent times. */
  offsetForWall(wallSeconds: number, isDst?: boolean | null): number;
  /** Offset used when the zone is attached without localizing (replace(tzinfo=...)). */
  attachOffset(wallSeconds: number): number;
  /** The abbreviation for an instant ('UTC', 'EST', 'UTC+05:30'). */
  nameAt(utcSeconds: number, offset: number): string;
  __str__(): string;
  __repr__(): string;
}

/** `+HH:MM` (with `:SS` when needed), as Python's isoformat and str() print offsets. */
export function formatOffset(seconds: number, sep = ':'): string {
  const sign = seconds < 0 ? '-' : '+';
  const a = Math.abs(seconds);
  const hh = Math.floor(a / 3600);
  const mm = Math.floor((a % 3600) / 60);
  const ss = a % 60;
  return `${sign}${pad(hh)}${sep}${pad(mm)}${ss ? `${sep}${pad(ss)}` : ''}`;
}

/** datetime.timezone: a fixed offset, optionally named. */
export class PyFixedTimezone implements TzInfo {
  readonly __class__ = 'datetime.timezone';
  constructor(
    readonly offset: number,
    readonly name?: string,
  ) {
    if (Math.abs(offset) >= 86400) throw pyError('ValueError', 'offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24).');
  }
  offsetAtUtc(): number {
    return this.offset;
  }
  offsetForWall(): number {
    return this.offset;
  }
  attachOffset(): number {
    return this.offset;
  }
  nameAt(): string {
    return this.tzname();
  }
  tzname(): string {
    if (this.name !== undefined) return this.name;
    return this.offset === 0 ? 'UTC' : `UTC${formatOffset(this.offset)}`;
  }
  utcoffset(): PyTimedelta {
    return new PyTimedelta(0, this.offset, 0);
  }
  __str__(): string {
    return this.tzname();
  }
  __repr__(): string {
    if (this.offset === 0 && this.name === undefined) return 'datetime.timezone.utc';
    const td = new PyTimedelta(0, this.offset, 0).__repr__();
    return `datetime.timezone(${td}${this.name !== undefined ? `, '${this.name}'` : ''})`;
  }
  __eq__(o: unknown): boolean | undefined {
    return o instanceof PyFixedTimezone ? o.offset === this.offset : undefined;
  }
}

export const UTC_FIXED = new PyFixedTimezone(0);

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short' });
    formatters.set(zone, f);
  }
  return f;
}

/** True when Intl knows the IANA zone name. */
export function isKnownZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** A pytz zone: offsets from the IANA database through Intl. */
export class PytzZone implements TzInfo {
  readonly __class__ = 'pytz.tzinfo';
  constructor(readonly zone: string) {}

  offsetAtUtc(utcSeconds: number): number {
    const parts = formatter(this.zone).formatToParts(new Date(utcSeconds * 1000));
    const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
    let year = get('year');
    if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
    const wall = daysFromCivil(year, get('month'), get('day')) * 86400 + get('hour') * 3600 + get('minute') * 60 + get('second');
    return wall - Math.floor(utcSeconds);
  }

  offsetForWall(wall: number, isDst: boolean | null = false): number {
    const candidates = [...new Set([this.offsetAtUtc(wall - 43200), this.offsetAtUtc(wall), this.offsetAtUtc(wall + 43200)])];
    const valid = candidates.filter((o) => this.offsetAtUtc(wall - o) === o);
    if (valid.length === 1) return valid[0];
    const [y, m, d] = civilFromDays(Math.floor(wall / 86400));
    const when = `${y}-${pad(m)}-${pad(d)} ${pad(Math.floor((wall % 86400) / 3600))}:${pad(Math.floor((wall % 3600) / 60))}:${pad(wall % 60)}`;
    if (isDst === null) {
      throw pyError('ValueError', valid.length ? `AmbiguousTimeError: ${when}` : `NonExistentTimeError: ${when}`, 'Pass is_dst=True or is_dst=False to localize().');
    }
    const pool = valid.length ? valid : candidates;
    return isDst ? Math.max(...pool) : Math.min(...pool);
  }

  /** pytz attaches the zone's first (LMT) offset when used as a plain tzinfo. */
  attachOffset(): number {
    return this.offsetAtUtc(-5364662400); // 1800-01-01
  }

  nameAt(utcSeconds: number, offset: number): string {
    for (const locale of ['en-US', 'en-GB']) {
      const name = new Intl.DateTimeFormat(locale, { timeZone: this.zone, timeZoneName: 'short' })
        .formatToParts(new Date(utcSeconds * 1000))
        .find((p) => p.type === 'timeZoneName')?.value;
      if (name && !/^(GMT|UTC)[+-]/.test(name)) return name === 'GMT' && offset !== 0 ? formatOffset(offset, '') : name;
    }
    // Zones without an abbreviation print their numeric offset, as tzdata does ('+0530' style is '+0530', whole hours '+03').
    const a = formatOffset(offset, '');
    return a.endsWith('00') ? a.slice(0, 3) : a;
  }

  __str__(): string {
    return this.zone;
  }
  __repr__(): string {
    return `<DstTzInfo '${this.zone}'>`;
  }
  toString(): string {
    return this.zone;
  }
}

/** Wall-clock fields of seconds-since-epoch. */
export function fieldsOf(seconds: number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const days = Math.floor(seconds / 86400);
  const rest = seconds - days * 86400;
  const [year, month, day] = civilFromDays(days);
  return { year, month, day, hour: Math.floor(rest / 3600), minute: Math.floor((rest % 3600) / 60), second: rest % 60 };
}
