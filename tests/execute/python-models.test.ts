import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/api/compile.js';
import { build, run } from '../../src/api/run.js';
import { makeProject, statuses } from './harness.js';

const FILES = {
  'models/base.sql': 'select 1 as id',
  'models/py_model.py': "def model(dbt, session):\n    return dbt.ref('base')\n",
  'models/after_py.sql': "select * from {{ ref('py_model') }}",
  'models/beside.sql': "select id + 1 as id from {{ ref('base') }}",
  'models/props.yml': 'version: 2\nmodels:\n  - name: after_py\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
};

const MESSAGE = "models/py_model.py: model py_model is a Python model: tsdbt parses Python models but does not run them\n  leave it out of the selection: --exclude '*.py' (with its children: --exclude '*.py+')";

describe('Python models: run, build, compile', () => {
  it('run: the Python model is an error of its own, naming its file; its children are skipped; the rest builds', async () => {
    for (const threads of [1, 4]) {
      const p = makeProject(FILES);
      p.write({ 'profiles.yml': readFileSync(join(p.dir, 'profiles.yml'), 'utf8').replace('threads: 1', `threads: ${threads}`) });
      const r = await run(p.opts);
      expect(statuses(r.results), `threads ${threads}`).toEqual({ base: 'success', beside: 'success', py_model: 'error', after_py: 'skipped' });
      expect(r.success).toBe(false);
      const py = r.results.find((x) => x.node.name === 'py_model')!;
      expect(py.message).toBe(MESSAGE);
      expect(py.statements).toEqual([]);
      expect(r.results.find((x) => x.node.name === 'after_py')!.message).toBe('Skipping because model py_model failed');
      expect(await p.query("select table_name from information_schema.tables where table_schema = 'main' order by 1")).toEqual([{ table_name: 'base' }, { table_name: 'beside' }]);
      const rr = JSON.parse(readFileSync(join(p.dir, 'target/run_results.json'), 'utf8'));
      expect(rr.results.map((x: { unique_id: string; status: string }) => [x.unique_id, x.status]).sort()).toEqual([
        ['model.proj.after_py', 'skipped'],
        ['model.proj.base', 'success'],
        ['model.proj.beside', 'success'],
        ['model.proj.py_model', 'error'],
      ]);
    }
  });

  it("build: the child's test is skipped too; excluding '*.py+' runs the rest cleanly", async () => {
    const p = makeProject(FILES);
    const r = await build(p.opts);
    expect(statuses(r.results)).toEqual({ base: 'success', beside: 'success', py_model: 'error', after_py: 'skipped', not_null_after_py_id: 'skipped' });
    const clean = await build({ ...p.opts, exclude: ['*.py+'] });
    expect(statuses(clean.results)).toEqual({ base: 'success', beside: 'success' });
    expect(clean.success).toBe(true);
  });

  it('compile writes no compiled file for a Python model and goes on', async () => {
    const p = makeProject(FILES);
    const r = await compile(p.opts);
    expect(r.success).toBe(true);
    const py = r.results.find((x) => x.node.name === 'py_model')!;
    expect([py.status, py.message]).toEqual(['skipped', 'models/py_model.py: a Python model, not compiled: tsdbt parses Python models but does not compile or run them']);
    expect(existsSync(join(p.dir, 'target/compiled/proj/models/py_model.py'))).toBe(false);
    expect(readFileSync(join(p.dir, 'target/compiled/proj/models/after_py.sql'), 'utf8')).toBe('select * from "dev"."main"."py_model"');
  });
});
