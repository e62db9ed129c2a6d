import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

async function cli(args: string[], dir: string) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir], io.streams, {});
  return { code, stdout: io.stdout.join(''), stderr: io.stderr.join('') };
}
const FILE_DB = 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: e.duckdb\n';

describe('errors people read', () => {
  it('a macro error names the node being rendered, with paths relative to the project', async () => {
    const dir = makeProject({
      'macros/boom.sql': '{% macro boom(x) %}{{ x.nope.deeper }}{% endmacro %}',
      'models/m.sql': 'select {{ boom(1) }} as x',
    });
    const r = await cli(['parse'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("[JINJA_RENDER] macros/boom.sql:1: 'int object' has no attribute 'nope'\n  > called by model m (models/m.sql)\n  Check the spelling, or guard it with `is defined`.\n");
  });

  it('prints a database error once, not as "Error in" plus "Database Error in"', async () => {
    const dir = makeProject({ 'profiles.yml': FILE_DB, 'models/broken.sql': 'select * from nowhere_at_all' });
    const r = await cli(['run'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^\d\d:\d\d:\d\d {4}Database Error in model broken \(models\/broken\.sql\)\n {4}Catalog Error: Table with name nowhere_at_all does not exist!/m);
    expect(r.stderr).not.toMatch(/^\S+ {2}(Error|Failure) in model broken/m);
    expect(r.stderr.match(/Error in model broken/g)).toHaveLength(1);
  });

  it("a seed's CSV error is one located line, not the database's sniffer report", async () => {
    const dir = makeProject({ 'profiles.yml': FILE_DB, 'seeds/bad.csv': 'a,b\n1,2\n3,4,5\n"x,6\n' });
    const r = await cli(['seed'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('seeds/bad.csv:3: Row at line 3 of the seed has 3 values but the header has 2 columns\n');
    expect(r.stderr).not.toContain('sniffing');
  });

  it('a freshness error names the source and its YAML file', async () => {
    const dir = makeProject({
      'profiles.yml': FILE_DB,
      'models/src.yml': 'version: 2\nsources:\n  - name: s\n    schema: main\n    freshness: {warn_after: {count: 1, period: hour}}\n    loaded_at_field: loaded_at\n    tables:\n      - name: t1\n',
    });
    const r = await cli(['source', 'freshness'], dir);
    expect(r.code).toBe(1);
    // As dbt: the source's table name (node.name) and its YAML file.
    expect(r.stderr).toMatch(/^\d\d:\d\d:\d\d {4}Database Error in source t1 \(models\/src\.yml\)\n {4}Catalog Error: Table with name t1 does not exist!/m);
    expect(r.stderr).not.toContain('src/include');
  });
});
