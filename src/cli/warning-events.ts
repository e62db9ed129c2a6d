import { duplicateKeyWarningFile } from '../util/duplicate-key-warning.js';
import type { WarningEvent } from './warn-error-options.js';

/**
 * The warnings a project's commands print, named as dbt names the event
 * that says the same (for --warn-error and --warn-error-options): only those
 * dbt sends through warn_or_error, which `--warn-error` makes errors.
 * Warnings dbt prints without that (or that only tsdbt prints) have no
 * entry, and stay warnings.
 */
const EVENTS: readonly { event: WarningEvent; is: (text: string) => boolean }[] = [
  { event: { name: 'NoNodesForSelectionCriteria', code: 'M030' }, is: (t) => /^The selection criterion '.*' does not match any enabled nodes$/s.test(t) },
  { event: { name: 'NothingToDo', code: 'Q035' }, is: (t) => /^Nothing to do\. Try checking your model configs and model specification args$/.test(t) },
  { event: { name: 'NoNodeForYamlKey', code: 'I058' }, is: (t) => /: Did not find matching node for patch with name '.*' in the '\w+' section\.$/s.test(t) },
  { event: { name: 'NodeNotFoundOrDisabled', code: 'I060' }, is: (t) => /: test '.*' depends on .*, which was not found; the test is disabled\.$/s.test(t) },
  { event: { name: 'DuplicateYAMLKeysDeprecation', code: 'D024' }, is: (t) => duplicateKeyWarningFile(t) !== undefined },
  { event: { name: 'CustomKeyInConfigDeprecation', code: 'D026' }, is: (t) => /: unknown config key '.*' \(did you mean '.*'\?\)$/s.test(t) },
];

/** The dbt event a warning's text is, when dbt makes it an error under --warn-error; else undefined. */
export function warningEvent(text: string): WarningEvent | undefined {
  for (const { event, is } of EVENTS) if (is(text)) return event;
  return undefined;
}
