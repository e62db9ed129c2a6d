import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { criterionOf, manifestSelectors } from '../../src/graph/manifest-selectors.js';
import { parseYaml } from '../../src/util/yaml.js';
import { makeProject, type TestProject } from '../execute/harness.js';

// manifest.json's `selectors`: selectors.yml's entries with each definition in the form dbt-core
// 1.10 stores (SelectorDict.parse_from_selectors_list). The expected values below were checked
// against dbt-core's own functions run on the same file.

const SELECTORS = `selectors:
  - name: nightly
    description: "the nightly ones"
    definition: 'tag:nightly+'
  - name: one
    default: false
    definition:
      tag: daily
  - name: u
    definition:
      union:
        - '@a'
        - method: path
          value: models/
          children: true
        - 2+models/a.sql
        - exclude:
            - fqn:x
            - 'config.materialized:view'
  - name: ref
    definition:
      method: selector
      value: nightly
  - name: i
    definition:
      intersection: ['a+3', {method: tag, value: x}]
`;

const NIGHTLY = { method: 'tag', value: 'nightly', children: true };
const EXPECTED = {
  nightly: { name: 'nightly', description: 'the nightly ones', definition: NIGHTLY },
  one: { name: 'one', default: false, definition: { method: 'tag', value: 'daily' } },
  u: {
    name: 'u',
    definition: {
      union: [
        { childrens_parents: true, method: 'fqn', value: 'a' },
        { method: 'path', value: 'models/', children: true },
        { parents: true, parents_depth: '2', method: 'path', value: 'models/a.sql' },
        { exclude: [{ method: 'fqn', value: 'x' }, { method: 'config.materialized', value: 'view' }] },
      ],
    },
  },
  ref: { name: 'ref', definition: NIGHTLY },
  i: { name: 'i', definition: { intersection: [{ method: 'fqn', value: 'a', children: true, children_depth: '3' }, { method: 'tag', value: 'x' }] } },
};

async function cli(p: TestProject, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await runCli([...args, '--project-dir', p.dir, '--profiles-dir', p.dir], { stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, env, p.dir);
  return { code, out: out.join('\n') };
}

const selectorsOf = (p: TestProject): unknown => JSON.parse(readFileSync(join(p.dir, 'target/manifest.json'), 'utf8')).selectors;

describe('manifest.json selectors', () => {
  it('normalises each definition as dbt does, keys in dbt order, the file order kept', () => {
    const list = (parseYaml(SELECTORS, 'selectors.yml').value as { selectors: unknown[] }).selectors;
    const out = manifestSelectors(list);
    expect(JSON.stringify(out)).toBe(JSON.stringify(EXPECTED));
  });

  it('a CLI-style spec: the method by default from the value, depths as written, a line break is invalid', () => {
    expect(criterionOf('orders')).toEqual({ method: 'fqn', value: 'orders' });
    expect(criterionOf('seeds/people.CSV')).toEqual({ method: 'path', value: 'seeds/people.CSV' });
    expect(criterionOf('people.csv')).toEqual({ method: 'file', value: 'people.csv' });
    expect(criterionOf('1+source:raw.orders+2')).toEqual({ parents: true, parents_depth: '1', method: 'source', value: 'raw.orders', children: true, children_depth: '2' });
    expect(criterionOf('a\nb')).toEqual({ error: 'Invalid selector spec' });
  });

  it('parse writes them; an edited selectors.yml is seen by the next parse (the cache is keyed on it), as without the fast paths', async () => {
    const p = makeProject({ 'models/a.sql': 'select 1 as id\n' });
    expect((await cli(p, ['parse'])).code).toBe(0);
    expect(selectorsOf(p)).toEqual({});
    p.write({ 'selectors.yml': SELECTORS });
    expect((await cli(p, ['parse'])).code).toBe(0);
    expect(selectorsOf(p)).toEqual(EXPECTED);
    p.write({ 'selectors.yml': 'selectors:\n  - name: only\n    definition: a\n' });
    expect((await cli(p, ['parse'])).code).toBe(0);
    const only = { only: { name: 'only', definition: { method: 'fqn', value: 'a' } } };
    expect(selectorsOf(p)).toEqual(only);
    // Commands that write manifest.json from the cache keep them too.
    expect((await cli(p, ['compile'])).code).toBe(0);
    expect(selectorsOf(p)).toEqual(only);
    rmSync(join(p.dir, 'target'), { recursive: true });
    expect((await cli(p, ['parse'], { TSDBT_FAST_PATHS: '0' })).code).toBe(0);
    expect(selectorsOf(p)).toEqual(only);
    rmSync(join(p.dir, 'selectors.yml'));
    expect((await cli(p, ['parse'])).code).toBe(0);
    expect(selectorsOf(p)).toEqual({});
  });

  it('a selectors.yml that does not load fails the parse with its located error, as dbt fails to load the project', async () => {
    const p = makeProject({ 'models/a.sql': 'select 1 as id\n', 'selectors.yml': 'selectors:\n  - name: a\n' });
    const r = await cli(p, ['parse']);
    expect(r.code).toBe(2);
    expect(r.out).toContain("Invalid selectors.yml: selector 'a' has no `definition`");
  });
});
