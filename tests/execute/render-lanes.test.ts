import { describe, expect, it } from 'vitest';
import { renderLanes } from '../../src/api/execution.js';
import { run, test as testCommand } from '../../src/api/run.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
import { makeProject, statuses } from './harness.js';

describe('render workers for --threads N', () => {
  it('with the embedded DuckDB: no more workers than cores, but at least two (threads 2+ still run side by side)', () => {
    expect(renderLanes(4, 'duckdb', 2)).toBe(2);
    expect(renderLanes(8, 'duckdb', 4)).toBe(4);
    expect(renderLanes(4, 'duckdb', 8)).toBe(4);
    expect(renderLanes(4, 'duckdb', 1)).toBe(2);
    expect(renderLanes(2, 'duckdb', 1)).toBe(2);
    expect(renderLanes(1, 'duckdb', 1)).toBe(1);
    expect(renderLanes(0, 'duckdb', 1)).toBe(0);
    // A client-server database waits on the network: one worker a thread.
    expect(renderLanes(4, 'snowflake', 2)).toBe(4);
    const was = setFastPaths(false);
    try {
      expect(renderLanes(4, 'duckdb', 2)).toBe(4);
    } finally {
      setFastPaths(was);
    }
  });

  it('threads 8 on fewer workers: every node runs once, on one of the workers, with the results of threads 1', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`models/m_${i}.sql`] = `{{ config(materialized='table') }}select ${i} as id`;
    files['models/all_m.sql'] = Array.from({ length: 12 }, (_, i) => `select * from {{ ref('m_${i}') }}`).join(' union all ');
    const p = makeProject(files);
    const one = await run({ ...p.opts, threads: 1 });
    const eight = await run({ ...p.opts, threads: 8, signal: new AbortController().signal });
    expect(statuses(eight.results)).toEqual(statuses(one.results));
    expect(eight.results).toHaveLength(13);
    const lanes = renderLanes(8, 'duckdb');
    for (const r of eight.results) expect(Number(r.thread_id.replace('Thread-', ''))).toBeLessThanOrEqual(lanes);
    expect(await p.query('select count(*)::int as n from all_m')).toEqual([{ n: 12 }]);
  });
});

describe('a queued node on the lone render worker says it started', () => {
  // Six data tests on one model run in one query: five are answered from that query's results,
  // their `started` travelling with their result (one message); the order the coordinator sees is the same.
  const PROJECT = {
    'models/m.sql': "{{ config(materialized='table') }}select range as id, range % 3 as kind from range(10)",
    'models/loud.sql': "{{ config(materialized='table') }}{% do log('loud renders', info=True) %}select 1 as id",
    'models/schema.yml': [
      'version: 2',
      'models:',
      '  - name: m',
      '    columns:',
      '      - name: id',
      '        data_tests: [unique, not_null]',
      '      - name: kind',
      '        data_tests: [not_null, {accepted_values: {arguments: {values: [0, 1, 2]}}}]',
      '  - name: loud',
      '    columns:',
      '      - name: id',
      '        data_tests: [unique, not_null]',
      '',
    ].join('\n'),
  };

  it('every START before its result, alternating, and a log() line after its START (threads 1, cancellable)', async () => {
    const p = makeProject(PROJECT);
    const events: string[] = [];
    const logger = { info: (m: string) => events.push(`log ${m}`), debug: () => undefined, warn: () => undefined };
    const built = await run({ ...p.opts, threads: 1, signal: new AbortController().signal, logger, onStart: (n) => events.push(`start ${n.name}`), onResult: (r) => events.push(`result ${r.node.name} ${r.status}`) });
    expect(built.success).toBe(true);
    expect(events.indexOf('log loud renders')).toBeGreaterThan(events.indexOf('start loud'));
    expect(events.indexOf('log loud renders')).toBeLessThan(events.indexOf('result loud success'));
    events.length = 0;
    const tested = await testCommand({ ...p.opts, threads: 1, signal: new AbortController().signal, logger, onStart: (n) => events.push(`start ${n.name}`), onResult: (r) => events.push(`result ${r.node.name} ${r.status}`) });
    expect(tested.success).toBe(true);
    const nodeEvents = events.filter((e) => !e.startsWith('log '));
    expect(nodeEvents).toHaveLength(12);
    for (let i = 0; i < nodeEvents.length; i += 2) {
      const name = nodeEvents[i]!.replace('start ', '');
      expect(nodeEvents[i]).toBe(`start ${name}`);
      expect(nodeEvents[i + 1]).toBe(`result ${name} pass`);
    }
  });
});
