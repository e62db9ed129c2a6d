/**
 * A structured log event in dbt's shape: `name` and `code` are dbt's event
 * names and codes (MainReportVersion A001, LogStartLine Q011, ...), `data`
 * holds dbt's fields for that event, so a consumer of dbt's JSON logs
 * (`--log-format json`) reads tsdbt's unchanged.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEvent {
  name: string;
  code: string;
  level: LogLevel;
  /** The line as the text log prints it (without colour). */
  msg: string;
  /** The same line with colour on the status words, for a terminal. */
  coloured?: string;
  data: Record<string, unknown>;
  /** The thread the event belongs to (`MainThread`, `Thread-1`). */
  thread?: string;
}

export const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** dbt's generic message event, for lines tsdbt prints that dbt has no event of its own for. */
export function note(msg: string, level: LogLevel = 'info'): LogEvent {
  return { name: 'Note', code: 'Z050', level, msg, data: { msg } };
}
