import { afterEach, describe, expect, it } from 'vitest';
import { envVarRenderer } from '../../src/deps/env-var-renderer.js';
import { readPackagesFile } from '../../src/deps/packages-file.js';
import { installDeps } from '../../src/deps/index.js';
import { cleanupTempDirs, makeProject, tempDir, writeFiles } from './deps-fixtures.js';

afterEach(cleanupTempDirs);

const read = (files: Record<string, string>, env: NodeJS.ProcessEnv = {}) =>
  readPackagesFile(writeFiles(tempDir(), files), { render: envVarRenderer(env) });

const fails = (files: Record<string, string>, expected: Record<string, unknown>) =>
  expect(() => read(files)).toThrowError(expect.objectContaining(expected));

describe('reading packages.yml', () => {
  it('parses each kind of entry', () => {
    const { file, specs } = read({
      'packages.yml': [
        'packages:',
        '  - package: dbt-labs/dbt_utils',
        '    version: [">=1.0.0", "<2.0.0"]',
        '  - git: https://example.com/repo.git',
        '    revision: v1',
        '    subdirectory: sub',
        '    warn-unpinned: false',
        '  - local: ../x',
        '  - tarball: https://example.com/x.tar.gz',
        '    name: x_pkg',
        '  - package: a/b',
        '    version: 1.0.0-rc1',
        '    install-prerelease: true',
        '',
      ].join('\n'),
    });
    expect(file).toBe('packages.yml');
    expect(specs.map(({ raw, rendered, ...rest }) => rest)).toEqual([
      { kind: 'hub', package: 'dbt-labs/dbt_utils', versions: ['>=1.0.0', '<2.0.0'], installPrerelease: false, requiredBy: 'packages.yml', file: 'packages.yml', line: 2, name: undefined },
      { kind: 'git', git: 'https://example.com/repo.git', gitUnrendered: 'https://example.com/repo.git', revision: 'v1', subdirectory: 'sub', warnUnpinned: false, requiredBy: 'packages.yml', file: 'packages.yml', line: 4, name: undefined },
      { kind: 'local', local: '../x', requiredBy: 'packages.yml', file: 'packages.yml', line: 8, name: undefined },
      { kind: 'tarball', tarball: 'https://example.com/x.tar.gz', tarballUnrendered: 'https://example.com/x.tar.gz', name: 'x_pkg', requiredBy: 'packages.yml', file: 'packages.yml', line: 9 },
      { kind: 'hub', package: 'a/b', versions: ['1.0.0-rc1'], installPrerelease: true, requiredBy: 'packages.yml', file: 'packages.yml', line: 11, name: undefined },
    ]);
  });

  it('renders env_var() with and without a default, keeping the unrendered entry', () => {
    const { specs } = read(
      { 'packages.yml': "packages:\n  - git: \"https://{{ env_var('GIT_HOST') }}/{{ env_var('ORG', 'acme') }}/repo.git\"\n" },
      { GIT_HOST: 'git.example.com' },
    );
    expect(specs[0]).toMatchObject({
      git: 'https://git.example.com/acme/repo.git',
      gitUnrendered: "https://{{ env_var('GIT_HOST') }}/{{ env_var('ORG', 'acme') }}/repo.git",
    });
  });

  it('errors on a missing env var at its line', () => {
    fails(
      { 'packages.yml': "packages:\n  - local: a\n  - git: \"{{ env_var('NOPE') }}\"\n" },
      { code: 'ENV_VAR_MISSING', file: 'packages.yml', line: 3, message: "Env var required but not provided: 'NOPE'" },
    );
  });

  it('errors on Jinja the default renderer cannot evaluate', () => {
    fails(
      { 'packages.yml': "packages:\n  - local: \"{{ var('where') }}\"\n" },
      { code: 'JINJA_RENDER', file: 'packages.yml', line: 2, message: `Cannot render "{{ var('where') }}": only env_var() is supported here` },
    );
  });

  it('uses a renderer passed in', async () => {
    const project = makeProject({ 'packages.yml': 'packages:\n  - local: "{{ pkg_dir }}"\n' });
    writeFiles(project, { 'pkgs/a/dbt_project.yml': 'name: pkg_a\n' });
    const installed = await installDeps({ projectDir: project, render: (t) => t.replace('{{ pkg_dir }}', 'pkgs/a') });
    expect(installed.map((p) => p.name)).toEqual(['pkg_a']);
  });

  it('reports YAML syntax errors as PACKAGE_ERROR with file and line', () => {
    fails({ 'packages.yml': 'packages:\n  - local: a\n   bad: [\n' }, { code: 'PACKAGE_ERROR', file: 'packages.yml', line: 3 });
  });

  it('errors when both packages.yml and dependencies.yml declare packages', () => {
    fails(
      { 'packages.yml': 'packages:\n  - local: a\n', 'dependencies.yml': 'projects: []\npackages:\n  - local: b\n' },
      {
        code: 'PACKAGE_ERROR',
        file: 'dependencies.yml',
        line: 2,
        message: "The 'packages' key cannot be specified in both packages.yml and dependencies.yml",
      },
    );
  });

  it('errors when there is no packages: list', () => {
    fails({ 'packages.yml': 'pakages:\n  - local: a\n' }, {
      code: 'PACKAGE_ERROR',
      file: 'packages.yml',
      line: 1,
      message: `Expected a top-level 'packages:' list, found {"pakages":[{"local":"a"}]}`,
    });
  });

  it('errors on an entry without a source', () => {
    fails({ 'packages.yml': 'packages:\n  - local: a\n  - version: 1.0.0\n' }, {
      code: 'PACKAGE_ERROR',
      line: 3,
      message: 'Package entry {"version":"1.0.0"} has none of the keys package, git, local, tarball',
    });
  });

  it('errors on an unknown key, at its line', () => {
    fails({ 'packages.yml': 'packages:\n  - git: https://x/y.git\n    revison: v1\n' }, {
      code: 'PACKAGE_ERROR',
      line: 3,
      message: `Unknown key 'revison' in git package entry {"git":"https://x/y.git","revison":"v1"}`,
      hint: 'Allowed keys for a git package: git, revision, warn-unpinned, subdirectory, name.',
    });
  });

  it('errors on a hub package without a version or namespace, and a tarball without a name', () => {
    fails({ 'packages.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n' }, {
      line: 2,
      message: 'dbt-labs/dbt_utils is missing the version. When installing from the Hub package index, version is a required property',
    });
    fails({ 'packages.yml': 'packages:\n  - package: dbt_utils\n    version: 1.0.0\n' }, {
      line: 2,
      message: 'dbt_utils was not found in the package index. Packages on the index require a namespace, e.g dbt-labs/dbt_utils',
    });
    fails({ 'packages.yml': 'packages:\n  - tarball: https://x/y.tgz\n' }, {
      line: 2,
      message: `Package entry {"tarball":"https://x/y.tgz"} is missing 'name'`,
    });
  });
});
