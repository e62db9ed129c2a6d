/**
 * Found running dbt-audit-helper's integration project: every unit test's
 * START and result lines read `::test_name`, the tested model missing. dbt
 * names a unit test `<model>::<test>` (`<model>::<test>_v<n>` for one
 * version of a versioned model) in both lines.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

const untimed = (s: string) => s.replace(/^\d\d:\d\d:\d\d {2}/gm, '').replace(/in \d+\.\d\ds\]/g, 'in T]');

async function build(dir: string) {
  const io = captureStreams();
  const code = await runCli(['build', '--threads', '1', '--project-dir', dir], io.streams, {});
  return { code, out: untimed(io.stdout.join('')) };
}

describe('a unit test in the console', () => {
  it('is named by its model and its name in the START and PASS/FAIL lines', async () => {
    const dir = makeProject({
      'models/src.sql': 'select 1 as id',
      'models/doubled.sql': "select id * 2 as twice from {{ ref('src') }}",
      'models/unit.yml': [
        'unit_tests:',
        '  - name: doubles_ids',
        '    model: doubled',
        "    given: [{input: ref('src'), rows: [{id: 2}]}]",
        '    expect: {rows: [{twice: 4}]}',
        '  - name: wrong_on_purpose',
        '    model: doubled',
        "    given: [{input: ref('src'), rows: [{id: 2}]}]",
        '    expect: {rows: [{twice: 5}]}',
        '',
      ].join('\n'),
    });
    const r = await build(dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^\d of 4 START unit_test doubled::doubles_ids \.+ \[RUN\]$/m);
    expect(r.out).toMatch(/^\d of 4 PASS doubled::doubles_ids \.+ \[PASS in T\]$/m);
    expect(r.out).toMatch(/^\d of 4 START unit_test doubled::wrong_on_purpose \.+ \[RUN\]$/m);
    expect(r.out).toMatch(/^\d of 4 FAIL 1 doubled::wrong_on_purpose \.+ \[FAIL 1 in T\]$/m);
    expect(r.out).not.toMatch(/ ::/);
  });

  it('carries the version it runs against for a versioned model', async () => {
    const dir = makeProject({
      'models/src.sql': 'select 1 as id',
      'models/pick_v1.sql': "select id from {{ ref('src') }}",
      'models/pick_v2.sql': "select id + 1 as id from {{ ref('src') }}",
      'models/schema.yml': [
        'models:',
        '  - name: pick',
        '    latest_version: 2',
        '    versions: [{v: 1}, {v: 2}]',
        'unit_tests:',
        '  - name: keeps_ids',
        '    model: pick',
        '    versions: {include: [1]}',
        "    given: [{input: ref('src'), rows: [{id: 3}]}]",
        '    expect: {rows: [{id: 3}]}',
        '',
      ].join('\n'),
    });
    const r = await build(dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\d of 4 START unit_test pick::keeps_ids_v1 \.+ \[RUN\]$/m);
    expect(r.out).toMatch(/^\d of 4 PASS pick::keeps_ids_v1 \.+ \[PASS in T\]$/m);
  });
});
