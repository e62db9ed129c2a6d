/**
 * Found running dbt_project_evaluator's integration project: a seed whose
 * SQL fails to parse must not undo the previous seed's (already committed)
 * work, nor break the next seed's transaction.
 */
import { describe, expect, it } from 'vitest';
import { seed } from '../../src/api/run.js';
import { makeProject, statuses } from '../execute/harness.js';

describe('a failing node between two good ones', () => {
  it('keeps the earlier seed and lets the later one load', async () => {
    const p = makeProject({
      'seeds/s1_ok.csv': 'x\n1\n2\n',
      'seeds/s2_bad.csv': 'x\n1\n',
      'seeds/s3_ok.csv': 'x\n3\n',
      // A quote in the type breaks the SQL's parse, not its execution.
      'seeds/props.yml': `version: 2\nseeds:\n  - name: s2_bad\n    config:\n      column_types: {x: "int'"}\n`,
    });
    const r = await seed(p.opts);
    expect(statuses(r.results)).toEqual({ s1_ok: 'success', s2_bad: 'error', s3_ok: 'success' });
    expect(r.results.find((x) => x.node.name === 's2_bad')!.message).toContain('Parser Error');
    expect(await p.query('select (select count(*) from s1_ok) as one, (select count(*) from s3_ok) as three')).toEqual([{ one: 2, three: 1 }]);
  });
});
