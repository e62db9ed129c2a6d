import { existsSync, renameSync, statSync } from 'node:fs';

/** How many rolled-over logs dbt keeps: dbt.log.1 (the newest) to dbt.log.5. */
export const LOG_BACKUPS = 5;

/**
 * Rolls `path` (dbt.log) over as Python's RotatingFileHandler does for dbt
 * (backupCount 5) when writing `bytes` more would take it to `maxBytes` or
 * past: dbt.log.4 becomes dbt.log.5 (the rename replaces the old .5), ...,
 * dbt.log.1 becomes dbt.log.2, dbt.log becomes dbt.log.1, and the write
 * starts a new dbt.log. An empty or missing file is never rolled over.
 */
export function rollOverLog(path: string, bytes: number, maxBytes: number): void {
  const size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  if (size === 0 || size + bytes < maxBytes) return;
  for (let i = LOG_BACKUPS - 1; i >= 1; i--) {
    const from = `${path}.${i}`;
    if (existsSync(from)) renameSync(from, `${path}.${i + 1}`);
  }
  renameSync(path, `${path}.1`);
}
