import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { makeProject, type TestProject } from '../execute/harness.js';

// dbt-core 1.10 (parser/unit_tests.py): a unit test's config is built like any node's (ContextConfig):
// dbt_project.yml's `unit_tests:` matched on its fqn, then its own `config:` (tags appended, meta
// updated, enabled replaced). A disabled one is added to manifest.disabled (add_disabled), so `ls`
// lists it not and `build` does not run it; its model is looked up only when it is enabled.

async function cli(p: TestProject, args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await runCli([...args, '--project-dir', p.dir, '--profiles-dir', p.dir], { stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, {}, p.dir);
  return { code, out: out.join('\n') };
}

const unit = (name: string, model: string, config = '') => `  - name: ${name}
    model: ${model}
${config}    given: []
    expect:
      rows: [{id: 1}]
`;

function project(extra: Record<string, string> = {}): TestProject {
  return makeProject({
    'dbt_project.yml': `name: proj
profile: proj
config-version: 2
unit_tests:
  proj:
    staging:
      +tags: [from_project]
      +meta: {owner: proj, level: folder}
    other:
      +enabled: false
`,
    'models/staging/stg.sql': 'select 1 as id',
    'models/other/oth.sql': 'select 1 as id',
    'models/dis.sql': "{{ config(enabled=false) }}\nselect 1 as id",
    'models/staging/unit.yml': `unit_tests:\n${unit('t_ok', 'stg', '    config: {tags: [own], meta: {level: test}}\n')}${unit('t_off', 'stg', '    config: {enabled: false}\n')}`,
    'models/other/unit.yml': `unit_tests:\n${unit('t_proj_off', 'oth')}${unit('t_own_on', 'oth', '    config:\n      enabled: true\n')}`,
    'models/dis_unit.yml': `unit_tests:\n${unit('t_dis_model', 'dis', '    config: {enabled: false}\n')}${unit('t_no_model', 'nowhere', '    config: {enabled: false}\n')}`,
    ...extra,
  });
}

type Entry = { unique_id: string; config: Record<string, unknown>; depends_on: { nodes: string[] }; schema: string | null };

describe('unit test config from dbt_project.yml and disabled unit tests', { timeout: 120_000 }, () => {
  it('merges the project config under the own config, and keeps disabled unit tests in manifest.disabled only', async () => {
    const p = project();
    const b = await cli(p, ['build']);
    expect(b.code).toBe(0);
    // Only the enabled ones ran.
    expect(b.out).toMatch(/PASS=4 /);
    expect(b.out).not.toMatch(/t_off|t_proj_off|t_dis_model|t_no_model/);
    const m = JSON.parse(readFileSync(join(p.dir, 'target/manifest.json'), 'utf8')) as { unit_tests: Record<string, Entry>; disabled: Record<string, Entry[]> };
    expect(Object.keys(m.unit_tests).sort()).toEqual(['unit_test.proj.oth.t_own_on', 'unit_test.proj.stg.t_ok']);
    expect(m.unit_tests['unit_test.proj.stg.t_ok']!.config).toEqual({ tags: ['from_project', 'own'], meta: { owner: 'proj', level: 'test' }, enabled: true });
    // The unit test's own `enabled: true` wins over the folder's `+enabled: false`.
    expect(m.unit_tests['unit_test.proj.oth.t_own_on']!.config).toEqual({ tags: [], meta: {}, enabled: true });
    const disabled = Object.fromEntries(Object.entries(m.disabled).filter(([id]) => id.startsWith('unit_test.')));
    expect(Object.keys(disabled).sort()).toEqual(['unit_test.proj.dis.t_dis_model', 'unit_test.proj.nowhere.t_no_model', 'unit_test.proj.oth.t_proj_off', 'unit_test.proj.stg.t_off']);
    const one = (id: string) => {
      const list = disabled[id]!;
      expect(list).toHaveLength(1);
      return { config: list[0]!.config, nodes: list[0]!.depends_on.nodes, schema: list[0]!.schema };
    };
    expect(one('unit_test.proj.stg.t_off')).toEqual({ config: { tags: ['from_project'], meta: { owner: 'proj', level: 'folder' }, enabled: false }, nodes: ['model.proj.stg'], schema: 'main' });
    expect(one('unit_test.proj.oth.t_proj_off')).toEqual({ config: { tags: [], meta: {}, enabled: false }, nodes: ['model.proj.oth'], schema: 'main' });
    // A disabled unit test of a disabled or missing model: no error, no model in depends_on.
    expect(one('unit_test.proj.dis.t_dis_model')).toEqual({ config: { tags: [], meta: {}, enabled: false }, nodes: [], schema: null });
    expect(one('unit_test.proj.nowhere.t_no_model').nodes).toEqual([]);

    const ls = await cli(p, ['ls', '--resource-type', 'unit_test', '-q']);
    expect(ls.out.split('\n').filter(Boolean).sort()).toEqual(['unit_test:proj.t_ok', 'unit_test:proj.t_own_on']);
    // The project's tags select.
    const tagged = await cli(p, ['ls', '-s', 'tag:from_project', '-q']);
    expect(tagged.out.split('\n').filter(Boolean)).toEqual(['unit_test:proj.t_ok']);
  });

  it('an enabled unit test of a disabled model is a parse error with dbt 1.10\'s message, located, saying the model is disabled', async () => {
    const p = project({ 'models/dis_unit.yml': `unit_tests:\n${unit('t_dis_model', 'dis')}` });
    const r = await cli(p, ['parse']);
    expect(r.code).toBe(2);
    expect(r.out).toContain("models/dis_unit.yml:2: Unable to find model 'proj.dis' for unit test 't_dis_model' in models/dis_unit.yml\n  Model 'dis' is disabled: disable its unit test too (`config: {enabled: false}`).");
  });
});
