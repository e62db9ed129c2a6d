import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';
import { VarResolver } from '../../src/context/vars.js';
import { renderInProject } from '../support/render-in-project.js';

function writeFiles(root: string, files: Record<string, string>) {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

const PKG = {
  'dbt_project.yml': 'name: my_utils\nversion: "1.0.0"\nconfig-version: 2\nvars:\n  greeting: hello\n',
  'macros/shout.sql': "{% macro shout(x) %}{{ return(adapter.dispatch('shout', 'my_utils')(x)) }}{% endmacro %}\n{% macro default__shout(x) %}{{ x | upper }}!{% endmacro %}",
  'macros/greet.sql': "{% macro greet() %}{{ var('greeting') }}{% endmacro %}",
  'models/pkg_model.sql': "select '{{ var('greeting') }}' as g",
};

describe('VarResolver', () => {
  it('gives a package its own vars, overridden by the root project scoped vars and --vars', () => {
    const r = new VarResolver({ cli: 1 }, 'root', { g: 'root-global', my_utils: { greeting: 'bonjour' } }, { my_utils: { greeting: 'hello', own: 'x' } });
    // As dbt: a scoped block is itself a var of its project; the block scoped to the reader's package wins over globals.
    expect(r.visibleTo('my_utils')).toEqual({ greeting: 'bonjour', own: 'x', g: 'root-global', my_utils: { greeting: 'bonjour' }, cli: 1 });
    expect(r.visibleTo('root')).toEqual({ g: 'root-global', my_utils: { greeting: 'bonjour' }, cli: 1 });
  });

  it("reads a package's own vars scoped to itself (`vars: {pkg: {...}}` in the package), below the root's globals", () => {
    const r = new VarResolver({}, 'root', { shared: 'root' }, { pkg: { shared: 'pkg-global', pkg: { cols: [], shared: 'pkg-scoped' }, other: { x: 1 } } });
    const seen = r.visibleTo('pkg');
    expect(seen.cols).toEqual([]);
    expect(seen.shared).toBe('root');
    expect(r.visibleTo('root').cols).toBeUndefined();
    expect(() => r.get('missing', 'pkg', { given: false })).toThrow(/Required var 'missing'/);
  });
});

describe('packages', () => {
  it('deps installs a local package whose macros, vars and models join the project', async () => {
    const dir = makeProject({
      'packages.yml': 'packages:\n  - local: ../the_pkg\n',
      'models/uses_pkg.sql': "select '{{ my_utils.shout('a') }}' as s, * from {{ ref('pkg_model') }}",
    });
    writeFiles(join(dir, '..', 'the_pkg'), PKG);
    const io = captureStreams();
    expect(await runCli(['deps', '--project-dir', dir], io.streams, {})).toBe(0);
    const io2 = captureStreams();
    expect(await runCli(['ls', '--project-dir', dir, '--output', 'name'], io2.streams, {})).toBe(0);
    expect(io2.stdout.join('')).toBe('pkg_model\nuses_pkg\n');
  });

  it('resolves package namespaces, package vars and dispatch search_order overrides', () => {
    const files = {
      'dbt_project.yml': "name: test_project\nprofile: test_profile\nconfig-version: 2\nvars:\n  my_utils:\n    greeting: bonjour\ndispatch:\n  - macro_namespace: my_utils\n    search_order: ['test_project', 'my_utils']\n",
      'macros/override.sql': '{% macro duckdb__shout(x) %}{{ x }} (quietly){% endmacro %}',
    };
    const pkgFiles = Object.fromEntries(Object.entries(PKG).map(([k, v]) => [`dbt_packages/my_utils/${k}`, v]));
    // A package macro called from a root model sees the root model's vars (dbt resolves var() for the calling node).
    expect(renderInProject("{{ my_utils.shout('a') }}|{{ var('greeting', 'none') }}", { ...files, ...pkgFiles })).toBe('a (quietly)|none');
    expect(renderInProject("{{ my_utils.shout('a') }}", pkgFiles)).toBe('A!');
  });

  it("searches the root project before dbt's own macros when dispatching in the dbt namespace", () => {
    const out = renderInProject("{{ dbt.type_string() }}|{{ type_string() }}", {
      'macros/types.sql': '{% macro duckdb__type_string() %}varchar_from_project{% endmacro %}',
    });
    expect(out).toBe('varchar_from_project|varchar_from_project');
  });
});
