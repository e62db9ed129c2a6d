import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installDeps } from '../../src/deps/index.js';
import { cleanupTempDirs, git, makeGitRepo, makeProject, packageFiles, read } from './deps-fixtures.js';

afterAll(cleanupTempDirs);

/** A repo whose package `git_pkg` says which commit it is in macros/hello.sql. */
function repoWithHistory() {
  const repo = makeGitRepo();
  const v1 = repo.commit(packageFiles('git_pkg', undefined, 'v1'), 'v1');
  git(repo.work, 'tag', 'v1.0.0');
  const v2 = repo.commit(packageFiles('git_pkg', undefined, 'v2'), 'v2');
  git(repo.work, 'checkout', '-q', '-b', 'feature');
  const feature = repo.commit(packageFiles('git_pkg', undefined, 'feature'), 'feature');
  git(repo.work, 'checkout', '-q', 'main');
  const v3 = repo.commit(packageFiles('git_pkg', undefined, 'v3'), 'v3');
  git(repo.work, 'push', '-q', 'origin', 'main', 'feature', '--tags');
  return { ...repo, v1, v2, feature, v3 };
}

// One repository shared by the tests that only read from it (building it costs a dozen git runs).
let shared: ReturnType<typeof repoWithHistory>;
beforeAll(() => {
  shared = repoWithHistory();
});

const hello = (project: string, name = 'git_pkg') => read(path.join(project, 'dbt_packages', name, 'macros/hello.sql'));

describe('git packages', () => {
  it('installs a tag and locks its commit SHA', async () => {
    const repo = shared;
    const project = makeProject({ 'packages.yml': `packages:\n  - git: "${repo.url}"\n    revision: v1.0.0\n` });
    const installed = await installDeps({ projectDir: project });
    expect(installed).toEqual([{ name: 'git_pkg', source: 'git', revision: repo.v1, path: path.join(project, 'dbt_packages/git_pkg') }]);
    expect(hello(project)).toContain("'v1'");
    expect(existsSync(path.join(project, 'dbt_packages/git_pkg/.git'))).toBe(false);
    expect(read(path.join(project, 'package-lock.yml'))).toMatch(
      new RegExp(`^packages:\\n  - git: ${repo.url}\\n    name: git_pkg\\n    revision: ${repo.v1}\\nsha1_hash: [0-9a-f]{40}\\n$`),
    );
  });

  it('installs a branch', async () => {
    const repo = shared;
    const project = makeProject({ 'packages.yml': `packages:\n  - git: "${repo.url}"\n    revision: feature\n` });
    const [pkg] = await installDeps({ projectDir: project });
    expect(pkg!.revision).toBe(repo.feature);
    expect(hello(project)).toContain("'feature'");
  });

  it('installs a full commit SHA that is not a branch tip', async () => {
    const repo = shared;
    const project = makeProject({ 'packages.yml': `packages:\n  - git: "file://${repo.url}"\n    revision: ${repo.v2}\n` });
    const [pkg] = await installDeps({ projectDir: project });
    expect(pkg!.revision).toBe(repo.v2);
    expect(hello(project)).toContain("'v2'");
  });

  it('installs the default branch and warns that it is unpinned', async () => {
    const repo = shared;
    const project = makeProject({ 'packages.yml': `packages:\n  - git: "${repo.url}"\n` });
    const lines: string[] = [];
    const [pkg] = await installDeps({ projectDir: project, log: (l) => lines.push(l) });
    expect(pkg!.revision).toBe(repo.v3);
    expect(hello(project)).toContain("'v3'");
    expect(lines).toContain(
      `WARNING: The git package "${repo.url}" is not pinned (revision HEAD); this can introduce breaking changes into your project without warning. Pin it with revision: <tag or commit SHA>, or set warn-unpinned: false.`,
    );
    expect(lines).toContain(`Installed git_pkg from ${repo.url} revision ${repo.v3}`);
  });

  it('does not warn about main when warn-unpinned is false', async () => {
    const repo = shared;
    const project = makeProject({ 'packages.yml': `packages:\n  - git: "${repo.url}"\n    revision: main\n    warn-unpinned: false\n` });
    const lines: string[] = [];
    await installDeps({ projectDir: project, log: (l) => lines.push(l) });
    expect(lines.filter((l) => l.startsWith('WARNING'))).toEqual([]);
  });

  it('installs packages from subdirectories of one repository', async () => {
    const repo = makeGitRepo();
    const files: Record<string, string> = {};
    for (const [k, v] of Object.entries(packageFiles('sub_a'))) files[`packages/a/${k}`] = v;
    for (const [k, v] of Object.entries(packageFiles('sub_b'))) files[`packages/b/${k}`] = v;
    const sha = repo.commit(files, 'two packages');
    git(repo.work, 'tag', '0.1.0');
    git(repo.work, 'push', '-q', 'origin', 'main', '--tags');
    const project = makeProject({
      'packages.yml': `packages:\n  - git: "${repo.url}"\n    subdirectory: packages/a\n    revision: 0.1.0\n  - git: "${repo.url}"\n    subdirectory: packages/b\n    revision: 0.1.0\n`,
    });
    const installed = await installDeps({ projectDir: project });
    expect(installed.map((p) => [p.name, p.revision])).toEqual([['sub_a', sha], ['sub_b', sha]]);
    expect(hello(project, 'sub_a')).toContain("'sub_a'");
    expect(existsSync(path.join(project, 'dbt_packages/sub_a/packages'))).toBe(false);
    expect(read(path.join(project, 'package-lock.yml'))).toContain(
      `  - git: ${repo.url}\n    name: sub_b\n    revision: ${sha}\n    subdirectory: packages/b\n`,
    );
  });

  it('merges the same repository written with and without .git', async () => {
    const repo = shared;
    const bare = repo.url.replace(/\.git$/, '');
    const project = makeProject({
      'packages.yml': `packages:\n  - git: "${repo.url}"\n    revision: v1.0.0\n  - git: "${bare}"\n    revision: v1.0.0\n`,
    });
    const installed = await installDeps({ projectDir: project });
    expect(installed.map((p) => p.name)).toEqual(['git_pkg']);
  });

  it('reports an unknown revision with git\'s own message', async () => {
    const repo = shared;
    const project = makeProject({ 'packages.yml': `packages:\n  - git: "${repo.url}"\n    revision: no-such-tag\n` });
    const err = await installDeps({ projectDir: project }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PACKAGE_ERROR', file: 'packages.yml', line: 2 });
    expect((err as Error).message).toBe(
      `Error checking out spec='no-such-tag' for repo ${repo.url}\nwarning: Could not find remote branch no-such-tag to clone.\nfatal: Remote branch no-such-tag not found in upstream origin`,
    );
    expect(existsSync(path.join(project, 'dbt_packages'))).toBe(false);
  });

  it('reports a repository that cannot be cloned', async () => {
    const project = makeProject({ 'packages.yml': 'packages:\n  - git: /nonexistent/repo.git\n    revision: v1\n' });
    const err = (await installDeps({ projectDir: project }).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'PACKAGE_ERROR' });
    expect(err.message).toMatch(/^Error checking out spec='v1' for repo \/nonexistent\/repo\.git\nfatal: repository '\/nonexistent\/repo\.git' does not exist$/);
  });

  it('reports a missing subdirectory', async () => {
    const repo = shared;
    const project = makeProject({ 'packages.yml': `packages:\n  - git: "${repo.url}"\n    revision: v1.0.0\n    subdirectory: nope\n` });
    await expect(installDeps({ projectDir: project })).rejects.toMatchObject({
      code: 'PACKAGE_ERROR',
      line: 2,
      message: `Subdirectory 'nope' does not exist in repo ${repo.url} at revision v1.0.0 (${repo.v1})`,
    });
  });

  it('errors when two requirers ask for different revisions', async () => {
    const repo = shared;
    const project = makeProject({
      'packages.yml': `packages:\n  - git: "${repo.url}"\n    revision: v1.0.0\n  - git: "${repo.url}"\n    revision: feature\n`,
    });
    await expect(installDeps({ projectDir: project })).rejects.toMatchObject({
      code: 'PACKAGE_ERROR',
      line: 4,
      message: `git dependencies should contain exactly one version. ${repo.url} contains: "v1.0.0" (required by packages.yml), "feature" (required by packages.yml)`,
    });
  });
});

describe('git URLs that look like options', () => {
  it("refuses a URL starting with '-' before running git, and leaves no temp folder", async () => {
    const marker = path.join(makeProject({}), 'pwned');
    const project = makeProject({ 'packages.yml': `packages:\n  - git: "--upload-pack=touch ${marker}"\n` });
    await expect(installDeps({ projectDir: project })).rejects.toMatchObject({ code: 'PACKAGE_ERROR', message: expect.stringContaining("it starts with '-'") });
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(path.join(project, 'dbt_packages'))).toBe(false);
  });

  it('passes the URL after -- (a repo path starting with a dash-like name still clones)', async () => {
    const project = makeProject({ 'packages.yml': `packages:\n  - git: "${shared.url}"\n    revision: ${shared.v1}\n` });
    await installDeps({ projectDir: project });
    expect(hello(project)).toContain("'v1'");
  });
});
