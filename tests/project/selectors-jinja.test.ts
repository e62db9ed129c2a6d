import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
import { makeProject, type TestProject } from '../execute/harness.js';

// dbt renders selectors.yml with dbt_project.yml's renderer when the project loads
// (dbt-core 1.10 config/project.py: renderer.render_selectors), each value natively, with
// env_var, --vars and target; manifest.json's `selectors` holds the rendered definitions.

/** Models a (tag nightly), b (tag hourly) and c (no tag). */
const MODELS = Object.fromEntries(
  [['a', 'nightly'], ['b', 'hourly'], ['c', null]].map(([name, tag], i) => [`models/${name}.sql`, `${tag ? `{{ config(tags=['${tag}']) }}\n` : ''}select ${i + 1} as id\n`]),
);

const SELECTORS = `selectors:
  - name: by_env
    definition: "tag:{{ env_var('SELECT_TAG', 'nightly') }}"
  - name: by_var
    default: "{{ var('use_default', false) }}"
    definition:
      method: fqn
      value: "{{ var('model_name', 'c') }}"
  - name: by_target
    definition:
      union:
        - "{{ 'b' if target.name == 'dev' else 'a' }}"
`;

async function cli(p: TestProject, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await runCli([...args, '--project-dir', p.dir, '--profiles-dir', p.dir], { stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, env, p.dir);
  return { code, out: out.join('\n') };
}

/** The model names `ls` printed. */
const listed = (out: string): string[] => out.split('\n').filter((l) => l.startsWith('proj.')).map((l) => l.slice('proj.'.length)).sort();

describe('selectors.yml with Jinja', () => {
  for (const fast of ['1', '0']) {
    it(`is rendered with env_var, --vars and target before it is read (fast paths ${fast === '1' ? 'on' : 'off'})`, async () => {
      const p = makeProject({ ...MODELS, 'selectors.yml': SELECTORS });
      const env = {};
      const was = setFastPaths(fast === '1');
      try {
      expect(listed((await cli(p, ['ls', '--selector', 'by_env'], env)).out)).toEqual(['a']);
      // A changed env var is seen at once, whatever the parse cache holds.
      expect(listed((await cli(p, ['ls', '--selector', 'by_env'], { ...env, SELECT_TAG: 'hourly' })).out)).toEqual(['b']);
      expect(listed((await cli(p, ['ls', '--selector', 'by_env'], env)).out)).toEqual(['a']);
      expect(listed((await cli(p, ['ls', '--selector', 'by_var', '--vars', '{model_name: a}'], env)).out)).toEqual(['a']);
      expect(listed((await cli(p, ['ls', '--selector', 'by_target'], env)).out)).toEqual(['b']);
      // `default:` rendered natively: false unless the var says otherwise.
      expect(listed((await cli(p, ['ls'], env)).out)).toEqual(['a', 'b', 'c']);
      expect(listed((await cli(p, ['ls', '--vars', '{use_default: true}'], env)).out)).toEqual(['c']);
      } finally {
        setFastPaths(was);
      }
    });
  }

  it('manifest.json keeps the rendered definitions', async () => {
    const p = makeProject({ ...MODELS, 'selectors.yml': SELECTORS });
    expect((await cli(p, ['parse'], { SELECT_TAG: 'hourly' })).code).toBe(0);
    const selectors = JSON.parse(readFileSync(join(p.dir, 'target/manifest.json'), 'utf8')).selectors;
    expect(selectors.by_env).toEqual({ name: 'by_env', definition: { method: 'tag', value: 'hourly' } });
    expect(selectors.by_var).toEqual({ name: 'by_var', default: false, definition: { method: 'fqn', value: 'c' } });
    expect(selectors.by_target).toEqual({ name: 'by_target', definition: { union: [{ method: 'fqn', value: 'b' }] } });
    // Another value of the env var is another parse: the cache is keyed on the rendered file.
    expect((await cli(p, ['parse'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(p.dir, 'target/manifest.json'), 'utf8')).selectors.by_env.definition).toEqual({ method: 'tag', value: 'nightly' });
  });

  it('a value that does not render is a located error, for commands that select none too (dbt fails to load the project)', async () => {
    const p = makeProject({ ...MODELS, 'macros/hello.sql': "{% macro hello() %}{{ log('hello', info=True) }}{% endmacro %}\n", 'selectors.yml': "selectors:\n  - name: x\n    definition:\n      method: tag\n      value: \"{{ env_var('NO_SUCH_VAR') }}\"\n" });
    const ls = await cli(p, ['ls', '--selector', 'x']);
    expect(ls.code).toBe(2);
    expect(ls.out).toContain("Env var required but not provided: 'NO_SUCH_VAR'");
    expect(ls.out).toContain('selectors.yml:5');
    const op = await cli(p, ['run-operation', 'hello']);
    expect(op.code).toBe(2);
    expect(op.out).toContain("Env var required but not provided: 'NO_SUCH_VAR'");
    expect(op.out).toContain('selectors.yml:5');
  });
});
