import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompiledFileBatch } from '../../src/compile/compiled-file-batch.js';
import { NodeCompiler } from '../../src/compile/node-compiler.js';
import type { CompiledNode } from '../../src/manifest/types.js';
import { expectBlockedWriteReported } from '../support/blocked-compiled-write.js';

/** A node as far as its compiled path goes: target/compiled/proj/<file>. */
const node = (file: string) => ({ unique_id: `model.proj.${file}`, package_name: 'proj', path: file, original_file_path: file }) as unknown as CompiledNode;

function batchIn(dir: string) {
  return new CompiledFileBatch(new NodeCompiler({} as never, dir), dir, 2);
}

/** Compile's order: queue, then set compiled_code (what a failed staged write is written again from). */
function add(batch: CompiledFileBatch, n: CompiledNode, sql: string): string {
  const path = batch.add(n, sql);
  n.compiled_code = sql;
  return path;
}

describe('CompiledFileBatch', () => {
  it('without target/compiled: files are staged beside it and the folder renamed into place, nothing else left in target/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-batch-'));
    mkdirSync(join(dir, 'target'));
    const batch = batchIn(dir);
    const paths = ['models/a.sql', 'models/b.sql', 'models/schema.yml/t.sql'].map((f, i) => add(batch, node(f), `select ${i}`));
    expect(paths).toEqual(['target/compiled/proj/models/a.sql', 'target/compiled/proj/models/b.sql', 'target/compiled/proj/models/schema.yml/t.sql']);
    // Files already handed to the writer are not in target/compiled before finish.
    expect(existsSync(join(dir, 'target/compiled'))).toBe(false);
    expect(batch.finish()).toEqual([]);
    expect(readdirSync(join(dir, 'target'))).toEqual(['compiled']);
    expect(paths.map((p) => readFileSync(join(dir, p), 'utf8'))).toEqual(['select 0', 'select 1', 'select 2']);
  });

  it('when target/compiled appears meanwhile: the staged files are moved into it, its other files kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-batch-'));
    const batch = batchIn(dir);
    add(batch, node('models/a.sql'), 'select 1');
    mkdirSync(join(dir, 'target/compiled/proj/models'), { recursive: true });
    writeFileSync(join(dir, 'target/compiled/proj/models/a.sql'), 'old');
    writeFileSync(join(dir, 'target/compiled/proj/models/other.sql'), 'kept');
    add(batch, node('models/b.sql'), 'select 2');
    expect(batch.finish()).toEqual([]);
    expect(readdirSync(join(dir, 'target'))).toEqual(['compiled']);
    const at = (f: string) => readFileSync(join(dir, 'target/compiled/proj/models', f), 'utf8');
    expect([at('a.sql'), at('b.sql'), at('other.sql')]).toEqual(['select 1', 'select 2', 'kept']);
  });

  it('a file that cannot be written in the staged folder is reported for its node, naming its path in target/compiled', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-batch-'));
    expectBlockedWriteReported(batchIn(dir), dir);
  });

  it('with target/compiled there: each file written in place, one already holding its SQL left as it is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-batch-'));
    const first = batchIn(dir);
    add(first, node('models/a.sql'), 'select 1');
    add(first, node('models/b.sql'), 'select 2');
    expect(first.finish()).toEqual([]);
    const file = (f: string) => join(dir, 'target/compiled/proj/models', f);
    const inodes = [statSync(file('a.sql')).ino, statSync(file('b.sql')).ino];
    const second = batchIn(dir);
    add(second, node('models/a.sql'), 'select 1');
    add(second, node('models/b.sql'), 'select 22');
    add(second, node('models/c.sql'), 'select 3');
    expect(second.finish()).toEqual([]);
    expect(statSync(file('a.sql')).ino).toBe(inodes[0]);
    expect(statSync(file('b.sql')).ino).not.toBe(inodes[1]);
    expect(['a.sql', 'b.sql', 'c.sql'].map((f) => readFileSync(file(f), 'utf8'))).toEqual(['select 1', 'select 22', 'select 3']);
    expect(readdirSync(join(dir, 'target'))).toEqual(['compiled']);
  });
  it('with target/compiled there: a file that cannot be written is reported for its node (the others written)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-batch-'));
    mkdirSync(join(dir, 'target/compiled/proj/models'), { recursive: true });
    writeFileSync(join(dir, 'target/compiled/proj/models/x.sql'), 'a file where a folder should be');
    const batch = batchIn(dir);
    const blocked = node('models/x.sql/y.sql');
    add(batch, blocked, 'select 2');
    add(batch, node('models/z.sql'), 'select 3');
    const failed = batch.finish();
    expect(failed.map((f) => f.node)).toEqual([blocked]);
    expect((failed[0]!.error as Error).message).toMatch(/^Could not write compiled SQL to .*\/target\/compiled\/proj\/models\/x\.sql\/y\.sql: (EEXIST|ENOTDIR)/);
    expect(readFileSync(join(dir, 'target/compiled/proj/models/z.sql'), 'utf8')).toBe('select 3');
  });
});
