/**
 * dbt's `modules` context object: the Python modules templates may use as
 * `modules.datetime`, `modules.re`, `modules.pytz`, `modules.itertools`.
 */
import { datetimeModule } from './datetime-module.js';
import { itertools } from './itertools.js';
import { pytzModule } from './pytz.js';
import { reModule } from './re.js';

export const pythonModules: { datetime: unknown; re: unknown; pytz: unknown; itertools?: unknown } = {
  datetime: datetimeModule,
  re: reModule,
  pytz: pytzModule,
  itertools,
};

export { setDatetimeClock } from './datetime-module.js';
