/**
 * `modules.pytz`: timezone(name), utc/UTC, localize/normalize on zones,
 * all_timezones/common_timezones. Offsets come from the IANA data in Intl.
 */
import { bindParams } from '../args.js';
import { pyError } from '../errors.js';
import { PyDateTime } from './datetime.js';
import { isKnownZone, PytzZone, type TzInfo } from './tz.js';

/** A pytz zone with pytz's instance methods. */
class PytzTimezone extends PytzZone {
  localize(...raw: unknown[]): PyDateTime {
    const [dt, isDst] = bindParams('localize', raw, ['dt', 'is_dst'], 1);
    return localize(this, dt, isDst);
  }
  normalize(dt: unknown): PyDateTime {
    return normalize(this, dt);
  }
  utcoffset(dt: unknown): unknown {
    return dt instanceof PyDateTime ? localize(this, dt.replace({ tzinfo: null, __keywords: true }), false).utcoffset() : null;
  }
}

function localize(zone: TzInfo, dt: unknown, isDst: unknown): PyDateTime {
  if (!(dt instanceof PyDateTime)) throw pyError('TypeError', 'localize() needs a datetime', 'Pass a naive datetime, e.g. modules.datetime.datetime(2024, 1, 2).');
  if (dt.offset !== null) throw pyError('ValueError', 'Not naive datetime (tzinfo is already set)', 'localize() takes a naive datetime; use astimezone() to convert an aware one.');
  const off = zone.offsetForWall(dt.wall(), isDst === undefined ? false : (isDst as boolean | null));
  return PyDateTime.fromWall(dt.wall(), dt.microsecond, zone, off);
}

function normalize(zone: TzInfo, dt: unknown): PyDateTime {
  if (!(dt instanceof PyDateTime) || dt.offset === null) throw pyError('ValueError', 'Naive time - no tzinfo set', 'normalize() takes an aware datetime.');
  return PyDateTime.fromUtc(dt.instant(), dt.microsecond, zone);
}

class PytzUtcZone extends PytzTimezone {
  constructor() {
    super('UTC');
  }
  override offsetAtUtc(): number {
    return 0;
  }
  override offsetForWall(): number {
    return 0;
  }
  override attachOffset(): number {
    return 0;
  }
  override nameAt(): string {
    return 'UTC';
  }
  override __repr__(): string {
    return '<UTC>';
  }
}

const utc = new PytzUtcZone();
const zones = new Map<string, PytzTimezone>([['UTC', utc]]);

function timezone(name: unknown): PytzTimezone {
  const key = String(name);
  let z = zones.get(key) ?? zones.get(key.toUpperCase() === 'UTC' ? 'UTC' : key);
  if (z) return z;
  if (!isKnownZone(key) || key === '') {
    throw pyError('UnknownTimeZoneError', `'${key}'`, "Use an IANA zone name such as 'UTC', 'America/New_York' or 'Europe/Paris'.");
  }
  z = new PytzTimezone(key);
  zones.set(key, z);
  return z;
}

let allZones: string[] | undefined;
function all(): string[] {
  if (!allZones) {
    const supported = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
    allZones = supported ? supported('timeZone') : ['UTC'];
    if (!allZones.includes('UTC')) allZones = [...allZones, 'UTC'].sort();
  }
  return allZones;
}

/** The `pytz` module object. */
export const pytzModule = {
  __class__: 'module',
  __str__: () => "<module 'pytz'>",
  timezone,
  utc,
  UTC: utc,
  get all_timezones(): string[] {
    return all();
  },
  get common_timezones(): string[] {
    return all();
  },
};

