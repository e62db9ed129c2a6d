/**
 * dbt's `--warn-error-options` (DBT_WARN_ERROR_OPTIONS): which warnings are
 * errors, which stay warnings and which are not shown, by dbt event name.
 * `error` is "all", "*" or a list of names; `warn` and `silence` lists.
 * dbt 1.10 also reads `include` for `error` and `exclude` for `warn` (the
 * older spelling); "Deprecations" names every deprecation event (codes D...).
 * Precedence as dbt's: a named event over Deprecations over all; silence
 * over warn over error.
 */
export interface WarnErrorOptions {
  error: 'all' | string[];
  warn: string[];
  silence: string[];
}

/** A warning as dbt names it: its event class and code (a deprecation's starts with D). */
export interface WarningEvent {
  name: string;
  code: string;
}

/** Every deprecation event (codes D...) as one name, as dbt's options write it. */
export const DEPRECATIONS = 'Deprecations';

/** Whether `event` is an error under `o` (dbt's WarnErrorOptionsV2.errors). */
export function warnsAsError(o: WarnErrorOptions, event: WarningEvent): boolean {
  const deprecation = event.code.startsWith('D');
  const namedElsewhere = o.warn.includes(event.name) || o.silence.includes(event.name);
  const deprecationElsewhere = deprecation && (o.warn.includes(DEPRECATIONS) || o.silence.includes(DEPRECATIONS));
  if (o.error !== 'all' && o.error.includes(event.name)) return !namedElsewhere;
  if (deprecation && o.error !== 'all' && o.error.includes(DEPRECATIONS)) return !(namedElsewhere || deprecationElsewhere);
  return o.error === 'all' && !(namedElsewhere || deprecationElsewhere);
}

/** Whether `event` is not shown under `o` (dbt's WarnErrorOptionsV2.silenced). */
export function silencedBy(o: WarnErrorOptions, event: WarningEvent): boolean {
  if (o.silence.includes(event.name)) return true;
  const namedElsewhere = (o.error !== 'all' && o.error.includes(event.name)) || o.warn.includes(event.name);
  return event.code.startsWith('D') && o.silence.includes(DEPRECATIONS) && !namedElsewhere;
}
