/**
 * dbt's `modules` context object: the Python modules templates may use as
 * `modules.datetime`, `modules.re`, `modules.pytz`, `modules.itertools`.
 */
import { datetimeModule } from './datetime-module.js';
import { PyDateTime } from './datetime.js';
import { itertools } from './itertools.js';
import { pytzModule } from './pytz.js';
import { reModule } from './re.js';

/**
 * dbt's `modules`. One object shared by every render in the process, so it
 * and each module are frozen: `modules.update(...)` or
 * `modules.re.update({'compile': ...})` is a SecurityError, never a change
 * another package's template would see.
 */
export const pythonModules: { datetime: unknown; re: unknown; pytz: unknown; itertools?: unknown } = Object.freeze({
  datetime: Object.freeze(datetimeModule),
  re: Object.freeze(reModule),
  pytz: Object.freeze(pytzModule),
  itertools: Object.freeze(itertools),
});

export { setDatetimeClock } from './datetime-module.js';
export { PyDate, PyDateTime, PyTime } from './datetime.js';
export { PyTimedelta } from './timedelta.js';
export { PyPattern, PyMatch } from './re.js';

/**
 * A JS Date as an aware Python datetime in UTC (pytz.utc), microseconds from
 * the milliseconds and `micros` more (0-999): what dbt's `run_started_at` is.
 */
export function pyDateTimeFromJs(date: Date, micros = 0): PyDateTime {
  const ms = date.getTime();
  const sec = Math.floor(ms / 1000);
  return PyDateTime.fromUtc(sec, (ms - sec * 1000) * 1000 + micros, pytzModule.utc);
}
