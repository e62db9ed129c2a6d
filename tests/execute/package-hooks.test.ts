import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { runCli } from '../../src/cli/main.js';
import { captureStreams } from '../support/project-fixture.js';
import { makeProject } from './harness.js';

/**
 * dbt 1.10 runs the on-run-start/end hooks of every package, not only the
 * root project's: by package name with the root project's last, then by
 * index, each rendered in its own package (its vars and macros first).
 */
const LOG = 'main.hook_log';
const files = {
  'dbt_project.yml': `name: proj
profile: proj
config-version: 2
vars:
  who: root
on-run-start:
  - "create table if not exists ${LOG} (seq integer, kind varchar, pkg varchar, detail varchar)"
  - "insert into ${LOG} select count(*), 'start', 'proj', '{{ var(\\"who\\") }}/{{ marker() }}' from ${LOG}"
on-run-end:
  - "insert into ${LOG} select count(*), 'end', 'proj', '{{ results | length }}' from ${LOG}"
`,
  'macros/marker.sql': `{% macro marker() %}root-macro{% endmacro %}`,
  'models/m.sql': 'select 1 as x',
  // Sorted before the root project though its name is later: the root's hooks always run last.
  'dbt_packages/zpkg/dbt_project.yml': `name: zpkg
config-version: 2
vars:
  pkg_only: z-var
on-run-start: "insert into ${LOG} select count(*), 'start', 'zpkg', '{{ var(\\"pkg_only\\") }}/{{ marker() }}' from ${LOG}"
on-run-end:
  - "insert into ${LOG} select count(*), 'end', 'zpkg', '{{ results | map(attribute=\\"status\\") | join(\\",\\") }}' from ${LOG}"
`,
  'dbt_packages/zpkg/macros/marker.sql': `{% macro marker() %}zpkg-macro{% endmacro %}`,
  // The first package's on-run-start creates the log table the others write to.
  'dbt_packages/apkg/dbt_project.yml': `name: apkg
config-version: 2
on-run-start:
  - "create table if not exists ${LOG} (seq integer, kind varchar, pkg varchar, detail varchar)"
  - "insert into ${LOG} select count(*), 'start', 'apkg', '{{ var(\\"who\\") }}/{{ marker() }}' from ${LOG}"
`,
};

describe("packages' on-run-start / on-run-end hooks", () => {
  it('run in dbt order (packages by name, the root project last), each with its own vars and macros', async () => {
    const p = makeProject(files);
    const r = await run(p.opts);
    expect(r.success).toBe(true);
    expect(r.results.map((x) => [x.unique_id, x.status, x.message])).toEqual([
      ['operation.apkg.apkg-on-run-start-0', 'success', 'apkg.on-run-start.0 passed'],
      ['operation.apkg.apkg-on-run-start-1', 'success', 'apkg.on-run-start.1 passed'],
      ['operation.zpkg.zpkg-on-run-start-0', 'success', 'zpkg.on-run-start.2 passed'],
      ['operation.proj.proj-on-run-start-0', 'success', 'proj.on-run-start.3 passed'],
      ['operation.proj.proj-on-run-start-1', 'success', 'proj.on-run-start.4 passed'],
      ['model.proj.m', 'success', 'OK'],
      ['operation.zpkg.zpkg-on-run-end-0', 'success', 'zpkg.on-run-end.0 passed'],
      ['operation.proj.proj-on-run-end-0', 'success', 'proj.on-run-end.1 passed'],
    ]);
    // The root's var wins over nothing in apkg (root vars are seen everywhere); zpkg sees its own var; each package its own macro first.
    expect(await p.query(`select seq, kind, pkg, detail from ${LOG} order by seq`)).toEqual([
      { seq: 0, kind: 'start', pkg: 'apkg', detail: 'root/root-macro' },
      { seq: 1, kind: 'start', pkg: 'zpkg', detail: 'z-var/zpkg-macro' },
      { seq: 2, kind: 'start', pkg: 'proj', detail: 'root/root-macro' },
      { seq: 3, kind: 'end', pkg: 'zpkg', detail: 'success' },
      { seq: 4, kind: 'end', pkg: 'proj', detail: '1' },
    ]);
    const hooks = Object.values(JSON.parse(readFileSync(join(p.dir, 'target', 'manifest.json'), 'utf8')).nodes as Record<string, Record<string, unknown>>)
      .filter((n) => n.resource_type === 'operation')
      .map((n) => [n.unique_id, n.package_name, n.tags, n.index, n.path, n.original_file_path, n.raw_code]);
    expect(hooks.map((h) => h[0]).sort()).toEqual([
      'operation.apkg.apkg-on-run-start-0',
      'operation.apkg.apkg-on-run-start-1',
      'operation.proj.proj-on-run-end-0',
      'operation.proj.proj-on-run-start-0',
      'operation.proj.proj-on-run-start-1',
      'operation.zpkg.zpkg-on-run-end-0',
      'operation.zpkg.zpkg-on-run-start-0',
    ]);
    expect(hooks.find((h) => h[0] === 'operation.zpkg.zpkg-on-run-end-0')).toEqual([
      'operation.zpkg.zpkg-on-run-end-0', 'zpkg', ['on-run-end'], 0, 'hooks/zpkg-on-run-end-0.sql', 'dbt_project.yml',
      `insert into ${LOG} select count(*), 'end', 'zpkg', '{{ results | map(attribute="status") | join(",") }}' from ${LOG}`,
    ]);
    const rr = JSON.parse(readFileSync(join(p.dir, 'target', 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] };
    expect(rr.results.map((x) => x.unique_id)).toEqual(r.results.map((x) => x.unique_id));
  });

  it("records each hook's top-level macro calls in depends_on.macros and shows the hooks in templates' graph.nodes, as dbt", async () => {
    const p = makeProject({
      ...files,
      'macros/wrap.sql': '{% macro wrap() %}{{ marker() }}{% endmacro %}',
      'dbt_project.yml': `${files['dbt_project.yml']}  - "{% set w = wrap() %}{% if execute %}insert into ${LOG} select 99, 'graph', '{{ graph.nodes.values() | selectattr(\\"resource_type\\", \\"equalto\\", \\"operation\\") | map(attribute=\\"unique_id\\") | sort | join(\\",\\") }}', '{{ w }}'{% endif %}"\n`,
      'models/m.sql': "select '{{ graph.nodes.values() | selectattr(\"resource_type\", \"equalto\", \"operation\") | list | length if execute else 0 }}' as x",
    });
    const r = await run(p.opts);
    expect(r.success).toBe(true);
    const nodes = JSON.parse(readFileSync(join(p.dir, 'target', 'manifest.json'), 'utf8')).nodes as Record<string, { depends_on: { macros: string[] } }>;
    // Only top-level calls made at parse time (execute false): wrap() calls marker(), which is not recorded for that hook.
    expect(nodes['operation.proj.proj-on-run-end-1']!.depends_on.macros).toEqual(['macro.proj.wrap']);
    expect(nodes['operation.proj.proj-on-run-start-1']!.depends_on.macros).toEqual(['macro.proj.marker']);
    expect(nodes['operation.zpkg.zpkg-on-run-start-0']!.depends_on.macros).toEqual(['macro.zpkg.marker']);
    expect(nodes['operation.proj.proj-on-run-start-0']!.depends_on.macros).toEqual([]);
    const ids = 'operation.apkg.apkg-on-run-start-0,operation.apkg.apkg-on-run-start-1,operation.proj.proj-on-run-end-0,operation.proj.proj-on-run-end-1,operation.proj.proj-on-run-start-0,operation.proj.proj-on-run-start-1,operation.zpkg.zpkg-on-run-end-0,operation.zpkg.zpkg-on-run-start-0';
    expect(await p.query(`select detail, pkg from ${LOG} where kind = 'graph'`)).toEqual([{ detail: 'root-macro', pkg: ids }]);
    expect(await p.query('select x from main.m')).toEqual([{ x: '8' }]);
  });

  it('prints a START/OK line per hook, numbered over all the packages', async () => {
    const p = makeProject(files);
    const io = captureStreams();
    expect(await runCli(['run', '--project-dir', p.dir, '--profiles-dir', p.dir], io.streams, {})).toBe(0);
    const out = io.stdout.join('').replace(/^\d\d:\d\d:\d\d {2}/gm, '');
    const lines = out.split('\n').filter((l) => / hook: /.test(l)).map((l) => l.replace(/ \.+ \[OK in \d+\.\d\ds\]$/, ' [OK]').replace(/ \.+ \[RUN\]$/, ''));
    expect(lines).toEqual([
      '1 of 5 START hook: apkg.on-run-start.0',
      '1 of 5 OK hook: apkg.on-run-start.0 [OK]',
      '2 of 5 START hook: apkg.on-run-start.1',
      '2 of 5 OK hook: apkg.on-run-start.1 [OK]',
      '3 of 5 START hook: zpkg.on-run-start.2',
      '3 of 5 OK hook: zpkg.on-run-start.2 [OK]',
      '4 of 5 START hook: proj.on-run-start.3',
      '4 of 5 OK hook: proj.on-run-start.3 [OK]',
      '5 of 5 START hook: proj.on-run-start.4',
      '5 of 5 OK hook: proj.on-run-start.4 [OK]',
      '1 of 2 START hook: zpkg.on-run-end.0',
      '1 of 2 OK hook: zpkg.on-run-end.0 [OK]',
      '2 of 2 START hook: proj.on-run-end.1',
      '2 of 2 OK hook: proj.on-run-end.1 [OK]',
    ]);
    expect(out).toContain('Finished running 7 project hooks, 1 view model');
  });

  it('a failing package hook skips the hooks after it, root ones included, and names the package', async () => {
    const p = makeProject({ ...files, 'dbt_packages/zpkg/dbt_project.yml': `name: zpkg\nconfig-version: 2\non-run-start: "select * from main.no_such_table"\n` });
    const r = await run(p.opts);
    expect(r.results.filter((x) => x.node.resource_type === 'operation').slice(0, 5).map((x) => [x.unique_id, x.status])).toEqual([
      ['operation.apkg.apkg-on-run-start-0', 'success'],
      ['operation.apkg.apkg-on-run-start-1', 'success'],
      ['operation.zpkg.zpkg-on-run-start-0', 'error'],
      ['operation.proj.proj-on-run-start-0', 'skipped'],
      ['operation.proj.proj-on-run-start-1', 'skipped'],
    ]);
    const failed = r.results[2]!;
    expect(failed.message).toMatch(/^zpkg\.on-run-start\.2 failed, error:\n /);
    expect(failed.error!.message).toMatch(/^on-run-start hook 0 of package 'zpkg' failed: .*no_such_table/s);
    expect(failed.error!.file).toBe(join('dbt_packages', 'zpkg', 'dbt_project.yml'));
  });

  it('with nothing selected no hook runs, as dbt: a NothingToDo warning and no Finished running line', async () => {
    const p = makeProject(files);
    const io = captureStreams();
    expect(await runCli(['run', '--project-dir', p.dir, '--profiles-dir', p.dir, '--select', 'no_such_model'], io.streams, {})).toBe(0);
    const out = (io.stdout.join('') + io.stderr.join('')).replace(/^\d\d:\d\d:\d\d {2}/gm, '');
    expect(out).toContain('Nothing to do. Try checking your model configs and model specification args');
    expect(out).not.toMatch(/ hook: |Finished running|Concurrency:/);
    expect(out).toMatch(/^Found 1 model, 7 operations, \d+ macros$/m);
    expect(out).toMatch(/^Done\. PASS=0 WARN=0 ERROR=0 SKIP=0 NO-OP=0 TOTAL=0$/m);
    expect(await p.query(`select count(*)::int as n from information_schema.tables where table_name = 'hook_log'`)).toEqual([{ n: 0 }]);
  });

  it('a package declared in packages.yml but not installed stops the run before any hook, as dbt (UninstalledPackagesFoundError)', async () => {
    const p = makeProject({ ...files, 'packages.yml': 'packages:\n  - local: ../apkg\n  - local: ../zpkg\n  - local: ../missing\n' });
    const io = captureStreams();
    expect(await runCli(['run', '--project-dir', p.dir, '--profiles-dir', p.dir], io.streams, {})).not.toBe(0);
    const out = (io.stdout.join('') + io.stderr.join('')).replace(/^\d\d:\d\d:\d\d {2}/gm, '');
    expect(out).toContain('[PACKAGE_ERROR] packages.yml:1: dbt found 3 package(s) specified in packages.yml, but only 2 package(s) installed in dbt_packages. Run "dbt deps" to install package dependencies.');
    expect(out).not.toMatch(/ hook: /);
    expect(await p.query(`select count(*)::int as n from information_schema.tables where table_name = 'hook_log'`)).toEqual([{ n: 0 }]);
    // debug still loads the project.
    const dbg = captureStreams();
    expect(await runCli(['debug', '--project-dir', p.dir, '--profiles-dir', p.dir], dbg.streams, {})).toBe(0);
  });
});
