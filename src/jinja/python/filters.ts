/**
 * Jinja2 3.1's builtin filters with Python semantics. The engine registers
 * each with `env.addFilter(name, fn)`; filters are called as
 * `f(value, ...args[, kwargs])` (see ../kwargs.ts).
 *
 * `map('name')` and `select('test')` need the engine's full registries (dbt
 * adds filters); build a filter set bound to them with `createPythonFilters`.
 * The exported `pythonFilters` resolves names among the builtins only.
 */
import { sequenceFilters, type FilterRegistry } from './filters-seq.js';
import { textFilters } from './filters-text.js';
import { pythonTests } from './tests.js';

type Fn = (...args: unknown[]) => unknown;

export type { FilterRegistry };

/** The builtin filters, with `map`/`select`/... resolving names through `registry`. */
export function createPythonFilters(registry?: Partial<FilterRegistry>): Record<string, Fn> {
  const filters: Record<string, Fn> = Object.create(null) as Record<string, Fn>;
  const reg: FilterRegistry = {
    filter: (name) => registry?.filter?.(name) ?? filters[name],
    test: (name) => registry?.test?.(name) ?? (pythonTests[name] as Fn | undefined),
  };
  Object.assign(filters, textFilters, sequenceFilters(reg));
  filters.d = filters.default;
  return filters;
}

export const pythonFilters: Record<string, (...args: unknown[]) => unknown> = createPythonFilters();
