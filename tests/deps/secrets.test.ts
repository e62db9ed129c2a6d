import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installDeps } from '../../src/deps/index.js';
import { scrubSecrets } from '../../src/deps/secrets.js';
import { cleanupTempDirs, git, makeGitRepo, makeProject, packageFiles, read } from './deps-fixtures.js';

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  cleanupTempDirs();
});

describe('secrets in packages.yml', () => {
  it('renders a DBT_ENV_SECRET_ git URL but keeps it out of the lock and the log', async () => {
    const repo = makeGitRepo();
    repo.commit(packageFiles('private_pkg'), 'init');
    git(repo.work, 'tag', 'v1');
    git(repo.work, 'push', '-q', 'origin', 'main', '--tags');
    process.env.DBT_ENV_SECRET_REPO = repo.url;
    const dir = makeProject({ 'packages.yml': "packages:\n  - git: \"{{ env_var('DBT_ENV_SECRET_REPO') }}\"\n    revision: v1\n" });
    const lines: string[] = [];
    const installed = await installDeps({ projectDir: dir, log: (l) => lines.push(l) });
    expect(installed.map((p) => p.name)).toEqual(['private_pkg']);

    const lock = read(path.join(dir, 'package-lock.yml'));
    expect(lock).toContain(`  - git: "{{ env_var('DBT_ENV_SECRET_REPO') }}"\n`);
    expect(lock).not.toContain(repo.url);
    expect(lines.join('\n')).not.toContain(repo.url);
    expect(lines).toContain(`Installed private_pkg from {{ env_var('DBT_ENV_SECRET_REPO') }} revision ${installed[0]!.revision}`);

    // The lock's unrendered URL is rendered again when installing from it.
    const again = await installDeps({ projectDir: dir, log: (l) => lines.push(l) });
    expect(again[0]!.revision).toBe(installed[0]!.revision);
    expect(lines).toContain('Installing the packages pinned in package-lock.yml');
  });

  it('scrubs the secret from git errors', async () => {
    process.env.DBT_ENV_SECRET_TOKEN = 's3cr3t-token';
    const dir = makeProject({
      'packages.yml': "packages:\n  - git: \"/nonexistent/{{ env_var('DBT_ENV_SECRET_TOKEN') }}/repo.git\"\n    revision: v1\n",
    });
    const err = (await installDeps({ projectDir: dir }).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe(
      "Error checking out spec='v1' for repo /nonexistent/*****/repo.git\nfatal: repository '/nonexistent/*****/repo.git' does not exist",
    );
  });

  it('scrubs secrets from any other error too', async () => {
    process.env.DBT_ENV_SECRET_DIR = 'hidden-dir';
    const dir = makeProject({ 'packages.yml': "packages:\n  - local: \"pkgs/{{ env_var('DBT_ENV_SECRET_DIR') }}\"\n" });
    await expect(installDeps({ projectDir: dir })).rejects.toMatchObject({
      code: 'PACKAGE_ERROR',
      message: `Local package path "pkgs/*****" does not exist (resolved to ${path.join(dir, 'pkgs/*****')})`,
    });
  });

  it('scrubSecrets replaces every DBT_ENV_SECRET_ value, longest first', () => {
    const env = { DBT_ENV_SECRET_A: 'abc', DBT_ENV_SECRET_B: 'abcdef', OTHER: 'x' };
    expect(scrubSecrets('x abcdef abc', env)).toBe('x ***** *****');
  });
});
