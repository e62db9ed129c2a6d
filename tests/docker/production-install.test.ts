import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * No Docker engine runs here, so this checks what the image does without one:
 * the Dockerfile's shape, and the production install (`npm ci --omit=dev`,
 * no build tools) running the entrypoint command on the bundled project.
 */
const repo = resolve(__dirname, '../..');
const app = mkdtempSync(join(tmpdir(), 'tsdbt-image-'));
afterAll(() => rmSync(app, { recursive: true, force: true }));

const dockerfile = readFileSync(join(repo, 'Dockerfile'), 'utf8');

describe('Dockerfile', () => {
  it('is a node:20-slim production image with a non-root user, an entrypoint and a healthcheck', () => {
    const lines = dockerfile.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
    expect(lines.filter((l) => l.startsWith('FROM ')).map((l) => l.split(' ')[1])).toEqual(['node:20-slim', 'node:20-slim']);
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(lines).toContain('USER node');
    expect(lines).toContain('ENTRYPOINT ["tsdbt"]');
    expect(lines.some((l) => l.startsWith('HEALTHCHECK ') && l.includes('CMD ["tsdbt", "--version"]'))).toBe(true);
  });

  it('copies only paths that exist in the repository', () => {
    const sources = dockerfile
      .split('\n')
      .filter((l) => l.startsWith('COPY ') && !l.includes('--from='))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    expect(sources.length).toBeGreaterThan(4);
    for (const s of sources) expect(existsSync(join(repo, s)), s).toBe(true);
  });
});

describe('the production install', () => {
  beforeAll(() => {
    if (!existsSync(join(repo, 'dist/cli/main.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repo, stdio: 'pipe' });
    for (const p of ['package.json', 'package-lock.json', 'dist', 'bin', 'src/include', 'project']) {
      cpSync(join(repo, p), join(app, p), { recursive: true, filter: (f) => !/(\/data|\/target|\/\.tsdbt|\.duckdb(\.wal)?)$/.test(f) });
    }
    execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, stdio: 'pipe' });
  }, 240_000);

  it('has no build tools, and the entrypoint parses the bundled project', () => {
    expect(existsSync(join(app, 'node_modules/typescript'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/vitest'))).toBe(false);
    const run = (args: string[]) =>
      execFileSync(process.execPath, [join(app, 'bin/tsdbt.js'), ...args], {
        cwd: join(app, 'project'),
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: app, DBT_PROFILES_DIR: join(app, 'project'), NO_COLOR: '1' },
      });
    expect(run(['--version'])).toMatch(/^tsdbt \d+\.\d+\.\d+ /);
    expect(run(['parse'])).toMatch(/Found \d+ models, .*\d+ data tests/);
    expect(run(['ls', '--select', 'mart_velocity', '--resource-type', 'model', '--output', 'name'])).toBe('mart_velocity\n');
  }, 60_000);
});
