import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { CompiledFileBatch } from '../../src/compile/compiled-file-batch.js';
import type { CompiledNode } from '../../src/manifest/types.js';

/** A node as far as its compiled path goes: target/compiled/proj/<file>. */
export const pathNode = (file: string) => ({ unique_id: `model.proj.${file}`, package_name: 'proj', path: file, original_file_path: file }) as unknown as CompiledNode;

/**
 * Queue models/x.sql, then models/x.sql/y.sql (whose folder is that file, so it
 * cannot be written), finish `batch`, and check that only the second is
 * reported, with TARGET_WRITE naming its path in target/compiled, the first
 * written and nothing else left in target/.
 */
export function expectBlockedWriteReported(batch: CompiledFileBatch, dir: string, finished: () => void = () => undefined): void {
  const blocked = pathNode('models/x.sql/y.sql');
  for (const [n, sql] of [[pathNode('models/x.sql'), 'select 1'], [blocked, 'select 2']] as const) {
    batch.add(n, sql);
    n.compiled_code = sql;
  }
  const failed = batch.finish();
  finished();
  expect(failed.map((f) => f.node)).toEqual([blocked]);
  const error = failed[0]!.error as { code?: string; message: string };
  expect(error.code).toBe('TARGET_WRITE');
  expect(error.message).toMatch(/^Could not write compiled SQL to .*\/target\/compiled\/proj\/models\/x\.sql\/y\.sql: (EEXIST|ENOTDIR)/);
  expect(readFileSync(join(dir, 'target/compiled/proj/models/x.sql'), 'utf8')).toBe('select 1');
  expect(readdirSync(join(dir, 'target'))).toEqual(['compiled']);
}
