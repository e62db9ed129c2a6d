import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackgroundWriter } from '../../src/compile/background-writer.js';
import { CompiledFileBatch } from '../../src/compile/compiled-file-batch.js';
import { NodeCompiler } from '../../src/compile/node-compiler.js';
import type { CompiledNode } from '../../src/manifest/types.js';
import { expectBlockedWriteReported, pathNode } from '../support/blocked-compiled-write.js';

// A file of its own: the background writer's thread is one per thread, started by the first batch posted to it,
// and these cases need it not started yet (they run in order, the last one starting it).

const node = pathNode;

function add(batch: CompiledFileBatch, n: CompiledNode, sql: string): string {
  const path = batch.add(n, sql);
  n.compiled_code = sql;
  return path;
}

const threadStarted = () => BackgroundWriter.shared()!.threadStarted;

describe('CompiledFileBatch of no more files than a batch: written on the calling thread, no writer thread started', () => {
  it('without target/compiled: each file where it belongs, nothing staged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-batch-small-'));
    mkdirSync(join(dir, 'target'));
    const batch = new CompiledFileBatch(new NodeCompiler({} as never, dir), dir);
    const paths = ['models/a.sql', 'models/schema.yml/t.sql'].map((f, i) => add(batch, node(f), `select ${i}`));
    expect(batch.finish()).toEqual([]);
    expect(threadStarted()).toBe(false);
    expect(readdirSync(join(dir, 'target'))).toEqual(['compiled']);
    expect(paths.map((p) => readFileSync(join(dir, p), 'utf8'))).toEqual(['select 0', 'select 1']);
  });

  it('with target/compiled: a file already holding its SQL left as it is, a changed one replaced', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-batch-small-'));
    const compiler = new NodeCompiler({} as never, dir);
    const first = new CompiledFileBatch(compiler, dir);
    add(first, node('models/a.sql'), 'select 1');
    add(first, node('models/b.sql'), 'select 2');
    expect(first.finish()).toEqual([]);
    const file = (f: string) => join(dir, 'target/compiled/proj/models', f);
    const inodes = [statSync(file('a.sql')).ino, statSync(file('b.sql')).ino];
    const second = new CompiledFileBatch(compiler, dir);
    add(second, node('models/a.sql'), 'select 1');
    add(second, node('models/b.sql'), 'select 22');
    expect(second.finish()).toEqual([]);
    expect(threadStarted()).toBe(false);
    expect(statSync(file('a.sql')).ino).toBe(inodes[0]);
    expect(statSync(file('b.sql')).ino).not.toBe(inodes[1]);
    expect(readFileSync(file('b.sql'), 'utf8')).toBe('select 22');
  });

  it('a file that cannot be written is reported for its node with TARGET_WRITE, naming its path; the others written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-batch-small-'));
    expectBlockedWriteReported(new CompiledFileBatch(new NodeCompiler({} as never, dir), dir), dir, () => expect(threadStarted()).toBe(false));
  });

  it('more files than a batch: batches go to the writer thread, staged and renamed into place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-batch-small-'));
    const batch = new CompiledFileBatch(new NodeCompiler({} as never, dir), dir, 2);
    const paths = ['a', 'b', 'c'].map((f, i) => add(batch, node(`models/${f}.sql`), `select ${i}`));
    expect(threadStarted()).toBe(true);
    expect(existsSync(join(dir, 'target/compiled'))).toBe(false);
    expect(batch.finish()).toEqual([]);
    expect(readdirSync(join(dir, 'target'))).toEqual(['compiled']);
    expect(paths.map((p) => readFileSync(join(dir, p), 'utf8'))).toEqual(['select 0', 'select 1', 'select 2']);
  });
});
