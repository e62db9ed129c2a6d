/**
 * dbt's progress line: `1 of 5 START sql view model main.stg_a ....... [RUN]`:
 * the message left-justified with dots to the printer width, then the status
 * (and time) in brackets. `status` may carry colour codes: it is not counted
 * in the width, as in dbt.
 */
export function fancyLine(msg: string, status: string, index: number | null, total: number | null, executionTime?: number, width = 80, truncate = false): string {
  const progress = index !== null && total !== null ? `${index} of ${total} ` : '';
  let justified = `${progress}${msg} `.padEnd(width, '.');
  if (truncate && justified.length > width - 3) justified = `${justified.slice(0, width - 3)}...`;
  const time = executionTime === undefined ? '' : ` in ${executionTime.toFixed(2)}s`;
  return `${justified} [${status}${time}]`;
}

/** `2.25` → ` in 0 hours 0 minutes and 2.25 seconds`, as dbt words a run's duration. */
export function humanizeDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return ` in ${hours} hours ${minutes} minutes and ${(seconds % 60).toFixed(2)} seconds`;
}

/** dbt's pluralize: `1 error`, `2 errors`, `3 analyses`. */
export function pluralize(count: number, word: string): string {
  if (count === 1) return `${count} ${word}`;
  if (word.endsWith('analysis')) return `${count} ${word.slice(0, -8)}analyses`;
  if (word.endsWith('s')) return `${count} ${word}es`;
  return `${count} ${word}s`;
}
