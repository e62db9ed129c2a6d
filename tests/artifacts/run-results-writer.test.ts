import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeRunResults, type RunResultsArtifact } from '../../src/artifacts/run-results.js';
import { setFastPaths } from '../../src/util/fast-paths.js';

const dir = mkdtempSync(join(tmpdir(), 'tsdbt-run-results-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What run_results.json always was: the whole artifact stringified at once, bigints as numbers, indented by 2. */
const expected = (a: unknown) => JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? Number(v) : v), 2);

function written(artifact: unknown): { streamed: string; whole: string } {
  const streamed = readFileSync(writeRunResults(dir, artifact as RunResultsArtifact), 'utf8');
  setFastPaths(false);
  try {
    return { streamed, whole: readFileSync(writeRunResults(dir, artifact as RunResultsArtifact), 'utf8') };
  } finally {
    setFastPaths(true);
  }
}

const result = (i: number, extra: Record<string, unknown> = {}) => ({
  status: i % 3 === 0 ? 'error' : 'success',
  timing: i % 2 ? [{ name: 'compile', started_at: 't0', completed_at: 't1' }] : [],
  thread_id: 'Thread-1',
  execution_time: i / 7,
  adapter_response: i % 4 === 0 ? {} : { _message: 'OK', rows_affected: i },
  message: i % 3 === 0 ? `line one\nline "two"\t€😀` : null,
  failures: null,
  unique_id: `model.p.m${i}`,
  compiled: true,
  compiled_code: `select ${i}\n  from x\n\n-- ünï\r\n`,
  relation_name: i % 5 === 0 ? null : `"db"."main"."m${i}"`,
  batch_results: null,
  ...extra,
});

describe('writeRunResults streams the bytes JSON.stringify(artifact, bigints as numbers, 2) gives', () => {
  it('with multi-line text, empty lists and objects, nulls and non-ASCII text, across many chunks', () => {
    const artifact = {
      metadata: { dbt_schema_version: 's', dbt_version: '1.10.15', generated_at: 'now', invocation_id: 'id', env: {} },
      results: Array.from({ length: 3000 }, (_, i) => result(i, i === 7 ? { big: '€'.repeat(600_000) } : {})),
      elapsed_time: 1.25,
      args: { which: 'compile', select: [], exclude: ['a b'], vars: { nested: { list: [1, [2, []], {}] } } },
    };
    const { streamed, whole } = written(artifact);
    expect(streamed).toBe(expected(artifact));
    expect(whole).toBe(streamed);
  });

  it('entries of a compile\'s shape (written without stringifying each) and near misses of it, each as JSON.stringify writes it', () => {
    const plain = (i: number) => ({ ...result(i), adapter_response: {}, failures: i % 2 ? null : i, compiled: i % 3 !== 0, compiled_code: i % 3 === 0 ? null : `select '${i}'\n"q" \\ \u2028`, timing: i % 2 ? [{ name: 'compile', started_at: 't0', completed_at: 't1' }, { name: 'execute', started_at: 't"2', completed_at: 't3' }] : [] });
    const { unique_id: _dropped, ...withoutId } = plain(1);
    const misses = [
      { ...plain(2), execution_time: NaN },
      { ...plain(3), execution_time: -0 },
      { ...plain(4), batch_results: { successful: [], failed: [] } },
      { ...plain(5), timing: [{ started_at: 't0', name: 'compile', completed_at: 't1' }] },
      { ...plain(6), timing: [{ name: 'compile', started_at: 't0', completed_at: 't1', extra: 1 }] },
      { ...plain(7), adapter_response: { rows_affected: 1 } },
      { ...plain(8), extra: 'x' },
      withoutId,
      Object.assign({ unique_id: 'first' }, plain(9)),
      Object.assign(Object.create({ inherited: 1 }), plain(10)),
      { ...plain(11), message: 12 },
      { ...plain(12), failures: Infinity },
      { ...plain(13), compiled: 'yes' },
    ];
    const artifact = { metadata: { env: {} }, results: [...Array.from({ length: 40 }, (_, i) => plain(i)), ...misses], elapsed_time: 1, args: {} };
    const { streamed, whole } = written(artifact);
    expect(streamed).toBe(expected(artifact));
    expect(whole).toBe(streamed);
  });

  it('with bigints (a driver\'s row counts), members JSON leaves out, toJSON and no results', () => {
    const withBigints = {
      metadata: { generated_at: 'now', env: {} },
      results: [result(1, { adapter_response: { rows_affected: 12n, nested: [3n, { n: 4n }] } }), undefined, result(2, { gone: undefined, fn: () => 1 })],
      elapsed_time: 2n,
      skipped: undefined,
      args: { when: new Date(0), list: [undefined, () => 1] },
    };
    expect(written(withBigints).streamed).toBe(expected(withBigints));
    const empty = { metadata: { env: {} }, results: [], elapsed_time: 0, args: {} };
    const { streamed, whole } = written(empty);
    expect(streamed).toBe(expected(empty));
    expect(whole).toBe(streamed);
    expect(streamed).toContain('"results": [],');
  });
});
