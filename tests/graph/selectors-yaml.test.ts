import { describe, expect, it } from 'vitest';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { loadSelectorsYaml, selectNodes } from '../../src/graph/index.js';
import { graph, manifest, shortName } from './project-fixture.js';

const FILE = 'selectors.yml';

const YAML = `selectors:
  - name: nightly_cli
    description: CLI-style string
    definition: 'tag:nightly'
  - name: staging_kv
    definition:
      tag: staging
  - name: upstream_of_velocity
    definition:
      method: fqn
      value: mart_velocity
      parents: true
      parents_depth: 1
  - name: staging_and_nightly
    definition:
      intersection:
        - tag:staging
        - method: tag
          value: nightly
  - name: all_but_users
    default: true
    definition:
      union:
        - method: path
          value: models/staging
          children: true
        - exclude:
            - stg_users
            - method: resource_type
              value: snapshot
  - name: reuse
    definition:
      method: selector
      value: nightly_cli
  - name: cautious_commits
    definition:
      method: fqn
      value: stg_commits
      indirect_selection: cautious
  - name: at_commits
    definition:
      method: fqn
      value: stg_commits
      childrens_parents: true
      exclude:
        - method: fqn
          value: mart_velocity
`;

const selectors = loadSelectorsYaml(FILE, YAML);

function run(opts: Parameters<typeof selectNodes>[2]): string[] {
  return [...selectNodes(manifest, graph, { selectors, ...opts }).selected].map(shortName).sort();
}

function errorOf(text: string): TsdbtError {
  try {
    loadSelectorsYaml(FILE, text);
  } catch (e) {
    if (e instanceof TsdbtError) return e;
    throw e;
  }
  throw new Error('expected a TsdbtError');
}

describe('loadSelectorsYaml', () => {
  it('loads each selector with its name, description, default flag and line', () => {
    expect(Object.keys(selectors)).toEqual([
      'nightly_cli',
      'staging_kv',
      'upstream_of_velocity',
      'staging_and_nightly',
      'all_but_users',
      'reuse',
      'cautious_commits',
      'at_commits',
    ]);
    expect(selectors.nightly_cli).toMatchObject({ description: 'CLI-style string', default: false, file: FILE, line: 2 });
    expect(selectors.all_but_users!.default).toBe(true);
    expect(selectors.nightly_cli!.definition).toMatchObject({ kind: 'criterion', method: 'tag', value: 'nightly' });
  });

  it('evaluates CLI strings, key-value maps and full criteria', () => {
    const models = { defaultResourceTypes: ['model'] };
    expect(run({ selector: 'nightly_cli', ...models })).toEqual(['mart_velocity', 'stg_commits']);
    expect(run({ selector: 'staging_kv', ...models })).toEqual(['stg_commits', 'stg_users']);
    expect(run({ selector: 'upstream_of_velocity', ...models })).toEqual(['int_activity', 'mart_velocity']);
    expect(run({ selector: 'staging_and_nightly', ...models })).toEqual(['stg_commits']);
    expect(run({ selector: 'reuse', ...models })).toEqual(['mart_velocity', 'stg_commits']);
  });

  it('applies union with exclude, criterion-level exclude and childrens_parents', () => {
    expect(run({ selector: 'all_but_users', defaultResourceTypes: ['model', 'snapshot', 'source'] })).toEqual([
      'int_activity',
      'mart_users',
      'mart_velocity',
      'raw.commits',
      'raw.users',
      'stg_commits',
    ]);
    expect(run({ selector: 'at_commits', defaultResourceTypes: ['model'] })).toEqual(['int_activity', 'stg_commits', 'stg_users']);
  });

  it('honours a criterion-level indirect_selection over the run default', () => {
    expect(run({ selector: 'cautious_commits', defaultResourceTypes: ['test'] })).toEqual(['not_null_stg_commits_id']);
    expect(run({ select: ['stg_commits'], defaultResourceTypes: ['test'] })).toHaveLength(3);
  });

  it('uses the default selector only when neither select nor exclude is given', () => {
    const models = { defaultResourceTypes: ['model'] };
    expect(run(models)).toEqual(['int_activity', 'mart_users', 'mart_velocity', 'stg_commits']);
    expect(run({ select: ['stg_users'], ...models })).toEqual(['stg_users']);
    expect(run({ exclude: ['stg_users'], ...models })).toEqual(['helper', 'int_activity', 'mart_users', 'mart_velocity', 'stg_commits']);
  });

  it('lets --selector win over --select and names the known selectors when it is unknown', () => {
    expect(run({ selector: 'staging_kv', select: ['mart_users'], defaultResourceTypes: ['model'] })).toEqual(['stg_commits', 'stg_users']);
    expect(() => run({ selector: 'nope' })).toThrowError(
      expect.objectContaining({
        code: 'SELECTOR_INVALID',
        message: "Could not find selector named 'nope'.",
        hint: 'Use one of: nightly_cli, staging_kv, upstream_of_velocity, staging_and_nightly, all_but_users, reuse, cautious_commits, at_commits.',
      }),
    );
  });

  it.each([
    ['selectors:\n  - name: a\n    definition:\n      method: tagg\n      value: x\n', 4, "Invalid selector 'tagg:x': 'tagg' is not a valid method name"],
    ['selectors:\n  - name: a\n    definition:\n      tag: ""\n', 4, "Invalid selector 'tag:': the 'tag' method needs a value"],
    ['selectors:\n  - name: a\n    definition:\n      method: tag\n      value: x\n      parents_depth: two\n', 4, "Invalid selectors.yml: `parents_depth` must be a whole number, got 'two'"],
    ['selectors:\n  - name: a\n    definition:\n      method: tag\n      value: x\n      childern: true\n', 4, 'Invalid selectors.yml: unknown key childern'],
    ['selectors:\n  - name: a\n    definition:\n      method: tag\n      value: x\n      indirect_selection: lazy\n', 4, "Invalid selectors.yml: invalid indirect_selection 'lazy'"],
    ['selectors:\n  - name: a\n    definition: x\n  - name: a\n    definition: y\n', 4, "Invalid selectors.yml: selector 'a' is defined twice"],
    ['selectors:\n  - name: a\n    default: true\n    definition: x\n  - name: b\n    default: true\n    definition: y\n', 5, "Invalid selectors.yml: selectors 'a' and 'b' both have `default: true`"],
    ['selectors:\n  - name: a\n', 2, "Invalid selectors.yml: selector 'a' has no `definition`"],
    ['selectors:\n  - name: a\n    definition:\n      method: selector\n      value: ghost\n', 4, "Invalid selectors.yml: no selector named 'ghost' to reuse"],
    ['selectors:\n  - name: a\n    definition:\n      union: [x]\n      intersection: [y]\n', 4, "Invalid selectors.yml: only a single 'union' or 'intersection' key is allowed in a root level selector definition; found union,intersection"],
    ['selectors:\n  - name: a\n    definition:\n      union:\n        - x\n        - exclude: [y]\n        - exclude: [z]\n', 7, 'Invalid selectors.yml: you cannot provide multiple exclude arguments to the same union'],
    ['selectors:\n  - name: a\n    definition:\n      foo: 1\n      bar: 2\n', 4, 'Invalid selectors.yml: expected either 1 key or else "method" and "value" keys, but got [foo, bar]'],
    ['models: []\n', 1, 'Invalid selectors.yml: expected a top-level `selectors:` list'],
  ])('rejects bad input with file and line (%#)', (text, line, message) => {
    const e = errorOf(text);
    expect(e.code).toBe('SELECTOR_INVALID');
    expect(e.message).toBe(message);
    expect(e.file).toBe(FILE);
    expect(e.line).toBe(line);
    expect(e.hint).toBeTruthy();
  });

  it('detects selectors that reuse each other in a loop', () => {
    const e = errorOf(
      'selectors:\n  - name: a\n    definition:\n      method: selector\n      value: b\n  - name: b\n    definition:\n      method: selector\n      value: a\n',
    );
    expect(e.message).toBe('Invalid selectors.yml: selectors refer to each other in a loop: a -> b -> a');
    expect(e.line).toBe(8);
  });

  it('reports YAML syntax errors with the line', () => {
    expect(() => loadSelectorsYaml(FILE, 'selectors:\n  - name: a\n   bad: [\n')).toThrowError(
      expect.objectContaining({ code: 'YAML_SYNTAX', file: FILE, line: 3 }),
    );
  });

  it('returns nothing for an empty file', () => {
    expect(loadSelectorsYaml(FILE, '')).toEqual({});
  });
});
