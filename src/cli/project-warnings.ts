import { TsdbtError, TsdbtErrorList } from '../errors/tsdbt-error.js';
import type { CommandContext } from './command-context.js';
import { silencedBy, warnsAsError, type WarningEvent } from './warn-error-options.js';
import { warningEvent } from './warning-events.js';

/** dbt's event for a test that warned (--warn-error-options naming it fails the test instead). */
export const LOG_TEST_RESULT: WarningEvent = { name: 'LogTestResult', code: 'Q007' };

/**
 * Prints a project's warnings as dbt's warn_or_error does: a warning dbt
 * names (cli/warning-events.ts) is an error under --warn-error or when
 * --warn-error-options says so, and is not shown when they silence it. The
 * errors are thrown together (a WARN_ERROR each, the command failing as on
 * any other error) once the others are printed.
 */
export function printWarnings(ctx: CommandContext, warnings: Iterable<string>): void {
  const errors: TsdbtError[] = [];
  for (const text of warnings) {
    const event = warningEvent(text);
    if (event && warnsAsErrorIn(ctx, event)) errors.push(warningError(ctx, text, event));
    else if (!(event && ctx.warnErrorOptions && silencedBy(ctx.warnErrorOptions, event))) ctx.out.warn(text);
  }
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new TsdbtErrorList(errors);
}

/**
 * Stops the command (printWarnings' error) when a warning is an error in
 * this invocation, before anything runs; prints nothing otherwise (the
 * command prints its warnings at its end, as before).
 */
export function raiseWarningErrors(ctx: CommandContext, warnings: readonly string[]): void {
  if (warnings.some((text) => {
    const event = warningEvent(text);
    return event !== undefined && warnsAsErrorIn(ctx, event);
  })) printWarnings(ctx, warnings);
}

/** Whether `event` is an error in this invocation (--warn-error, or --warn-error-options naming it). */
export function warnsAsErrorIn(ctx: CommandContext, event: WarningEvent): boolean {
  return ctx.argv.flags.warnError === true || (ctx.warnErrorOptions !== undefined && warnsAsError(ctx.warnErrorOptions, event));
}

function warningError(ctx: CommandContext, text: string, event: WarningEvent): TsdbtError {
  const by = ctx.argv.flags.warnError === true ? '--warn-error' : '--warn-error-options';
  return new TsdbtError('WARN_ERROR', text, { hint: `A warning (${event.name}) treated as an error: ${by}.`, detail: { event: event.name, code: event.code } });
}
