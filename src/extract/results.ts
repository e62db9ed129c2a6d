import { writeFileAtomic } from '../util/atomic-write.js';
import { join } from 'node:path';

/** One progress event; the CLI draws a line per stream from these. */
export interface ExtractProgress {
  stream: string;
  phase: 'start' | 'page' | 'retry' | 'wait' | 'landed' | 'done' | 'error' | 'skipped';
  pages: number;
  rows: number;
  requests: number;
  retries: number;
  /** Time this stream's requests have waited for the rate limit so far (ms). */
  waitMs: number;
  /** phase 'wait': how long this wait is (ms). */
  waitFor?: number;
  message?: string;
}

export interface StreamResult {
  stream: string;
  status: 'success' | 'error' | 'skipped';
  /** Rows in the landed file (after merge), or rows extracted when not landed. */
  rows: number;
  /** Rows fetched by this run (after de-duplication). */
  rows_extracted: number;
  pages: number;
  requests: number;
  retries: number;
  duration_ms: number;
  /** Parquet file, relative to the project. */
  file?: string;
  /** `<schema>.<table>` when loaded into a warehouse. */
  table?: string;
  /** The API's own total for what this run asked, when known. */
  api_total?: number;
  quarantined: number;
  incremental?: { cursor_field: string; from?: string; to?: string };
  warnings: string[];
  error?: { code: string; message: string };
}

/** `<target folder>/extract_results.json`. */
export interface ExtractResults {
  generated_at: string;
  elapsed_ms: number;
  success: boolean;
  base_url: string;
  streams: StreamResult[];
  totals: { rows: number; requests: number; retries: number; streams: number; errors: number };
}

export function writeResults(targetDir: string, results: ExtractResults): string {
  const path = join(targetDir, 'extract_results.json');
  writeFileAtomic(path, `${JSON.stringify(results, null, 2)}\n`, 'the extract results');
  return path;
}
