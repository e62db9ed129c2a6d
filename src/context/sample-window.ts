import { TsdbtError } from '../errors/tsdbt-error.js';
import { pyDateTimeFromJs } from '../jinja/python/modules/index.js';
import { isRecord, parseYaml } from '../util/yaml.js';

/**
 * dbt 1.10's sample mode (`run --sample` / `build --sample`, DBT_SAMPLE):
 * while a model or snapshot renders, a ref or source whose node has an
 * `event_time` reads only the rows of the sample window, as a microbatch
 * batch does (a microbatch batch reads where its window and the sample's
 * overlap).
 *
 * The window is relative, `'<N> <grain>'` (grain hour, day, month or year,
 * plural or not, any case): from N grains before now to now, a month or
 * year back landing on the same day (or the month's last); or absolute,
 * `{start: ..., end: ...}` as YAML, each a date or date-time taken as UTC
 * whatever offset it was written with.
 *
 * The ends are kept as dbt writes them into the filter: Python's str() of
 * an aware UTC datetime (`2024-01-31 00:00:00+00:00`, microseconds when
 * there are some).
 */
export interface SampleWindow {
  start: string;
  end: string;
}

const GRAINS = ['hour', 'day', 'month', 'year'] as const;
type Grain = (typeof GRAINS)[number];

/** The window a `--sample` value names, relative ones ending at `now`; a value dbt refuses is a usage error saying why. */
export function parseSampleWindow(spec: string, now: Date = new Date()): SampleWindow {
  if (spec.trimStart().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = parseYaml(spec, '--sample').value;
    } catch (e) {
      return invalid(`not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    if (!isRecord(parsed) || parsed.start === undefined || parsed.end === undefined) return invalid(`'${spec}' needs both a start and an end`);
    return { start: pyUtc(asUtc(parsed.start, 'start')), end: pyUtc(asUtc(parsed.end, 'end')) };
  }
  const parts = spec.split(' ');
  if (parts.length !== 2) return invalid(`Cannot load SAMPLE_WINDOW from '${spec}'. Must be of form 'DAYS_INT GRAIN_SIZE'.`);
  const [count, grainText] = parts as [string, string];
  if (!/^\s*[+-]?\d+(_\d+)*\s*$/.test(count)) return invalid(`Unable to convert '${count}' to an integer.`);
  const grain = grainText.toLowerCase().replace(/s+$/, '') as Grain;
  if (!GRAINS.includes(grain)) return invalid(`Invalid grain size '${grainText}'. Must be one of ${validGrains()}.`);
  return { start: pyUtc(offsetBy(now, grain, -Number(count.replace(/_/g, '')))), end: pyUtc(now) };
}

/** A `--sample` value refused: the usage error saying why, with the two forms it takes. */
function invalid(why: string): never {
  throw new TsdbtError('USAGE', `Invalid value for '--sample': ${why}`, {
    hint: "Pass --sample '3 days' (hour, day, month or year), or --sample '{start: 2024-01-01, end: 2024-02-01}'.",
  });
}

/** dbt's list of the grains it takes, as Python prints the list. */
function validGrains(): string {
  return `[${[...GRAINS, ...GRAINS.map((g) => `${g}s`)].map((g) => `'${g}'`).join(', ')}]`;
}

/** A window end given in the YAML form: a date or date-time (a string, or what YAML read as a timestamp), its wall time taken as UTC. */
function asUtc(value: unknown, which: string): Date {
  const text = value instanceof Date ? value.toISOString() : String(value);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), Math.floor(Number((m[7] ?? '0').padEnd(6, '0')) / 1000))) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(m![3])) return invalid(`the sample's ${which}, '${text}', is not a date or date-time`);
  return date;
}

/**
 * `t` moved by `n` grains, as dbt's offset_timestamp moves it (no
 * truncation; a month or year keeps the day of the month, or the month's
 * last day when it has fewer).
 */
export function offsetBy(t: Date, grain: Grain, n: number): Date {
  if (grain === 'hour') return new Date(t.getTime() + n * 3_600_000);
  if (grain === 'day') return new Date(t.getTime() + n * 86_400_000);
  const months = grain === 'month' ? n : 12 * n;
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return new Date(Date.UTC(targetYear, targetMonth, Math.min(t.getUTCDate(), lastDay), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds(), t.getUTCMilliseconds()));
}

/** Python's str() of the aware UTC datetime at `t`. */
function pyUtc(t: Date): string {
  return pyDateTimeFromJs(t).__str__();
}

/** Where a batch window and the sample window overlap (the later start, the earlier end), as dbt filters a sampled microbatch batch. */
export function overlapOf(batch: SampleWindow, sample: SampleWindow): SampleWindow {
  const at = (s: string) => Date.parse(s.replace(' ', 'T'));
  return { start: at(sample.start) > at(batch.start) ? sample.start : batch.start, end: at(sample.end) < at(batch.end) ? sample.end : batch.end };
}
