import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, test } from '../../src/api/run.js';
import { BackgroundWriter } from '../../src/compile/background-writer.js';
import type { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { makeProject } from '../execute/harness.js';

describe('relationships', () => {
  it('counts every child row whose key is missing from the parent (duplicates twice, null keys never), whatever the parent holds', async () => {
    const p = makeProject({
      // Parent keys: 1 twice, 2, and a null (which must not make `not in` drop every row).
      'models/parent.sql': "{{ config(materialized='table') }}select * from (values (1), (1), (2), (null)) t(id)",
      // Child keys: 1, 2 (found), 3 twice and 4 (missing), nulls (ignored).
      'models/child.sql': "{{ config(materialized='table') }}select * from (values (1), (2), (3), (3), (4), (null), (null)) t(parent_id)",
      'models/schema.yml': `version: 2
models:
  - name: child
    columns:
      - name: parent_id
        data_tests:
          - relationships: {to: ref('parent'), field: id}
          - relationships: {name: all_found, to: ref('parent'), field: id, config: {where: "parent_id < 3"}}
`,
    });
    await run(p.opts);
    const r = await test(p.opts);
    const got = Object.fromEntries(r.results.map((x) => [x.node.name, [x.status, x.failures]]));
    expect(got).toEqual({ relationships_child_parent_id__id__ref_parent_: ['fail', 3], all_found: ['pass', 0] });
    const sql = r.results.find((x) => x.node.name === 'all_found')!.compiled_code!;
    expect(sql).toBe(`with child as (
    select parent_id as from_field
    from (select * from "dev"."main"."child" where parent_id < 3) dbt_subquery
    where parent_id is not null
),
parent as (
    select id as to_field
    from "dev"."main"."parent"
    where id is not null
)
select from_field
from child
where from_field not in (select to_field from parent)`);
  });
});

describe('compiled SQL files', () => {
  it('are on disk, with the compiled code, when the command returns', async () => {
    const files: Record<string, string> = { 'models/schema.yml': 'version: 2\nmodels:\n' };
    for (let i = 0; i < 30; i++) {
      files[`models/m${i}.sql`] = `{{ config(materialized='table') }}select ${i} as id`;
      files['models/schema.yml'] += `  - name: m${i}\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n`;
    }
    const p = makeProject(files);
    await run(p.opts);
    const r = await test(p.opts);
    expect(r.results.length).toBe(60);
    for (const x of r.results) {
      expect(x.compiled_path).toMatch(/^target\/compiled\/proj\/models\/schema\.yml\/(unique|not_null)_m\d+_id\.sql$/);
      expect(readFileSync(join(p.dir, x.compiled_path!), 'utf8')).toBe(x.compiled_code);
    }
  });

  it('a file that cannot be written is a TARGET_WRITE error naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-writer-'));
    writeFileSync(join(dir, 'blocker'), 'a file where a folder should be');
    const writer = BackgroundWriter.shared()!;
    const ok = writer.write(join(dir, 'a', 'b.sql'), 'select 1');
    const bad = writer.write(join(dir, 'blocker', 'c.sql'), 'select 2');
    writer.wait(ok);
    expect(readFileSync(join(dir, 'a', 'b.sql'), 'utf8')).toBe('select 1');
    let err: TsdbtError | undefined;
    try {
      writer.wait(bad);
    } catch (e) {
      err = e as TsdbtError;
    }
    // The written file is named in the message and detail (util/atomic-write), not as a place in the project to fix.
    expect([err?.code, err?.detail?.path]).toEqual(['TARGET_WRITE', join(dir, 'blocker', 'c.sql')]);
    expect(err?.message).toMatch(/^Could not write compiled SQL to .*blocker\/c\.sql: (EEXIST|ENOTDIR): /);
    expect(existsSync(join(dir, 'blocker', 'c.sql'))).toBe(false);
  });
});
