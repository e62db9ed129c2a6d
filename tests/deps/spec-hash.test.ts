import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/util/yaml.js';
import { parseSpecList } from '../../src/deps/packages-file.js';
import { envVarRenderer } from '../../src/deps/env-var-renderer.js';
import { packagesSha1, pythonJsonDumps } from '../../src/deps/spec-hash.js';

const specsOf = (yml: string, env: NodeJS.ProcessEnv = {}) =>
  parseSpecList(parseYaml(yml, 'packages.yml'), { render: envVarRenderer(env), requiredBy: 'packages.yml' });

describe('packagesSha1', () => {
  // Both expected hashes are the ones dbt-core 1.9's own functional tests assert
  // (tests/functional/dependencies), so locks are interchangeable with dbt's.
  it('matches dbt for a hub package', () => {
    const specs = specsOf('packages:\n  - package: fivetran/fivetran_utils\n    version: 0.4.7\n');
    expect(packagesSha1(specs)).toBe('71304bca2138cf8004070b3573a1e17183c0c1a8');
  });

  it('matches dbt for git packages with subdirectories', () => {
    const specs = specsOf(
      [
        'packages:',
        '  - git: https://github.com/dbt-labs/dbt-multipe-packages.git',
        '    subdirectory: dbt-utils-main',
        '    revision: v0.1.0',
        '  - git: https://github.com/dbt-labs/dbt-multipe-packages.git',
        '    subdirectory: dbt-date-main',
        '    revision: v0.1.0',
        '',
      ].join('\n'),
    );
    expect(packagesSha1(specs)).toBe('b9c8042f29446c55a33f9f211737f445a640c7a1');
  });

  it('does not depend on the order of entries but does on their content', () => {
    const a = specsOf('packages:\n  - local: a\n  - local: b\n');
    const b = specsOf('packages:\n  - local: b\n  - local: a\n');
    const c = specsOf('packages:\n  - local: b\n  - local: c\n');
    expect(packagesSha1(a)).toBe(packagesSha1(b));
    expect(packagesSha1(a)).not.toBe(packagesSha1(c));
  });

  it('hashes the rendered value, so changing an env var re-resolves', () => {
    const yml = "packages:\n  - git: \"https://{{ env_var('HOST') }}/x.git\"\n";
    expect(packagesSha1(specsOf(yml, { HOST: 'a' }))).not.toBe(packagesSha1(specsOf(yml, { HOST: 'b' })));
  });
});

describe('pythonJsonDumps', () => {
  it('writes what CPython json.dumps(sort_keys=True) writes', () => {
    expect(pythonJsonDumps({ b: [1, 'x', null, true], a: { d: 'é', c: false } })).toBe(
      '{"a": {"c": false, "d": "\\u00e9"}, "b": [1, "x", null, true]}',
    );
  });
});
