import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { operationResultsJson } from '../../src/api/operation-results.js';
import { runCli } from '../../src/cli/main.js';
import { makeProject, type TestProject } from '../execute/harness.js';

// dbt 1.10's run-operation writes target/run_results.json (task/run_operation.py): one result for the
// macro, under its unique_id, success or error, failures 0 or 1, on MainThread with an `execute` timing.

async function cli(p: TestProject, args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await runCli([...args, '--project-dir', p.dir, '--profiles-dir', p.dir], { stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, {}, p.dir);
  return { code, out: out.join('\n') };
}

const FILES = {
  'models/a.sql': 'select 1 as id\n',
  'macros/ops.sql': [
    "{% macro hello(who='world') %}{{ log('hello ' ~ who, info=True) }}{% endmacro %}",
    "{% macro broken() %}{% do run_query('select * from no_such_table') %}{% endmacro %}",
  ].join('\n'),
};

const runResults = (p: TestProject) => JSON.parse(readFileSync(join(p.dir, 'target/run_results.json'), 'utf8')) as {
  metadata: { invocation_id: string; dbt_schema_version: string };
  results: Record<string, unknown>[];
  elapsed_time: number;
  args: Record<string, unknown>;
};

describe('run_results.json from run-operation', () => {
  it('holds one result for the macro, success or error, as dbt writes it', async () => {
    const p = makeProject(FILES);
    const ok = await cli(p, ['run-operation', 'hello', '--args', '{who: you}']);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain('hello you');
    const written = runResults(p);
    expect(written.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/run-results/v6.json');
    expect(written.args).toEqual({ which: 'run-operation', macro: 'hello', args: '{who: you}' });
    expect(written.results).toHaveLength(1);
    const [result] = written.results;
    expect(result).toMatchObject({
      status: 'success', thread_id: 'MainThread', adapter_response: {}, message: null, failures: 0,
      unique_id: 'macro.proj.hello', compiled: false, compiled_code: null, relation_name: null, batch_results: null,
    });
    expect(Object.keys(result!)).toEqual(['status', 'timing', 'thread_id', 'execution_time', 'adapter_response', 'message', 'failures', 'unique_id', 'compiled', 'compiled_code', 'relation_name', 'batch_results']);
    expect((result!.timing as { name: string }[]).map((t) => t.name)).toEqual(['execute']);
    expect(result!.execution_time).toBe(written.elapsed_time);

    const failed = await cli(p, ['run-operation', 'broken']);
    expect(failed.code).toBe(1);
    expect(runResults(p).results[0]).toMatchObject({ status: 'error', failures: 1, unique_id: 'macro.proj.broken' });
    expect(runResults(p).metadata.invocation_id).not.toBe(written.metadata.invocation_id);
  });

  it('is not written for a macro that does not exist, nor with --no-write-json', async () => {
    const p = makeProject(FILES);
    expect((await cli(p, ['run-operation', 'nope'])).code).not.toBe(0);
    expect(existsSync(join(p.dir, 'target/run_results.json'))).toBe(false);
    expect((await cli(p, ['run-operation', 'hello', '--no-write-json'])).code).toBe(0);
    expect(existsSync(join(p.dir, 'target/run_results.json'))).toBe(false);
  });

  it('a run_results.json that cannot be written is an artifact error (exit 2), the macro having run', async () => {
    const p = makeProject(FILES);
    expect((await cli(p, ['parse'])).code).toBe(0);
    // A folder where the file goes: the atomic rename cannot replace it.
    rmSync(join(p.dir, 'target/run_results.json'), { force: true });
    mkdirSync(join(p.dir, 'target/run_results.json/x'), { recursive: true });
    chmodSync(join(p.dir, 'target/run_results.json'), 0o755);
    const r = await cli(p, ['run-operation', 'hello']);
    expect(r.out).toContain('hello world');
    expect(r.out).toContain('run_results.json');
    expect(r.code).toBe(2);
  });

  it('operationResultsJson: the elapsed time between start and end, generated when it ended', () => {
    const startedAt = new Date('2026-01-01T00:00:00.000Z');
    const completedAt = new Date('2026-01-01T00:00:01.500Z');
    const a = operationResultsJson({ macroId: 'macro.p.m', success: true, startedAt, completedAt, invocationId: 'id', args: { which: 'run-operation' } });
    expect(a.elapsed_time).toBe(1.5);
    expect(a.metadata.generated_at).toBe('2026-01-01T00:00:01.500Z');
    expect(a.results[0]!.timing).toEqual([{ name: 'execute', started_at: '2026-01-01T00:00:00.000Z', completed_at: '2026-01-01T00:00:01.500Z' }]);
  });
});
