/**
 * dbt's type_* macros as tsdbt defines them (include/global/macros/utils/
 * data-types.sql): each dispatches to `default__type_*` (or an adapter's),
 * which only asks the adapter's Column class for a type name. Called with no
 * arguments, from a model at parse, such a macro reads and records nothing
 * but itself (ContextFactory.parseTimeMacroCall).
 */
const PURE_TYPE_MACROS: ReadonlySet<string> = new Set(['type_string', 'type_timestamp', 'type_float', 'type_numeric', 'type_bigint', 'type_int', 'type_boolean']);

/** Whether `name` is one of tsdbt's own type_* macros (see PURE_TYPE_MACROS). */
export function pureTypeMacro(name: string): boolean {
  return PURE_TYPE_MACROS.has(name);
}
