/**
 * dbt's `modules` context object: the Python modules templates may use.
 */
import { itertools } from './itertools.js';

export const pythonModules: { datetime: unknown; re: unknown; pytz: unknown; itertools?: unknown } = {
  datetime: {},
  re: {},
  pytz: {},
  itertools,
};
