import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The package as a Node user gets it: `npm pack`, installed into a scratch
 * package from the tarball, the README's TypeScript example type-checked
 * against the shipped .d.ts files and run. Prints the packed and installed
 * sizes.
 */
const repo = resolve(__dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'tsdbt-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function sizeOf(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((n, f) => n + sizeOf(join(path, f)), 0);
}

describe('npm pack → install → the typed API', () => {
  it('ships only what runs, installs without snowflake-sdk, and the README example type-checks and runs', () => {
    // `npm run build` as `npm pack` runs it (prepare): tsc, then the CLI bundle, so no older bundle is packed.
    execFileSync('npm', ['run', 'build'], { cwd: repo, stdio: 'pipe' });
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: repo, encoding: 'utf8' })) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
    const files = packed[0]!.files.map((f) => f.path);
    expect(files.filter((f) => /\.duckdb|^project\/(data|target|logs|\.tsdbt)\//.test(f))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['bin/tsdbt.js', 'dist/index.js', 'dist/index.d.ts', 'dist/bundle/main.js', 'dist/bundle/render-worker.js', 'dist/bundle/cli.cjs', 'dist/bundle/cli.v8cache', 'project/dbt_project.yml', 'src/include/global/dbt_project.yml']));
    expect(files.some((f) => f.startsWith('src/') && !f.startsWith('src/include/'))).toBe(false);

    const app = join(work, 'app');
    cpSync(join(repo, 'tests/packaging/example.ts.txt'), join(app, 'example.ts'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module', dependencies: { tsdbt: `file:${join(work, packed[0]!.filename)}` } }));
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, typeRoots: [join(repo, 'node_modules/@types')], types: ['node'], outDir: 'out' }, include: ['example.ts'] }));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, stdio: 'pipe', timeout: 240_000 });
    expect(() => statSync(join(app, 'node_modules/snowflake-sdk'))).toThrow();

    execFileSync('node', [join(repo, 'node_modules/typescript/bin/tsc'), '-p', '.'], { cwd: app, stdio: 'pipe' });
    const out = execFileSync('node', ['out/example.js'], { cwd: app, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(out).toContain('model first_model: success');
    expect(out).toContain('test unique_first_model_id: pass');
    expect(out).toContain('models: first_model, second_model');
    expect(out.trim().split('\n').at(-1)).toBe('success: true');

    // A Snowflake target without the optional snowflake-sdk: a clear message naming the package.
    const sf = join(app, 'sf_proj');
    cpSync(join(app, 'example_proj'), sf, { recursive: true });
    writeFileSync(join(sf, 'profiles.yml'), 'example_proj:\n  target: prod\n  outputs:\n    prod:\n      type: snowflake\n      account: acct\n      user: u\n      password: p\n      database: d\n      warehouse: w\n      schema: s\n      threads: 1\n');
    let message = '';
    try {
      execFileSync('node', [join(app, 'node_modules/tsdbt/bin/tsdbt.js'), 'run', '--project-dir', sf], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      message = String((e as { stdout?: string }).stdout) + String((e as { stderr?: string }).stderr);
    }
    expect(message).toContain('A Snowflake target needs the snowflake-sdk package, which is not installed');
    expect(message).toContain('npm install snowflake-sdk');

    const installed = sizeOf(join(app, 'node_modules'));
    console.log(`packed ${(packed[0]!.size / 1024).toFixed(0)} kB (${packed[0]!.files.length} files, unpacked ${(packed[0]!.unpackedSize / 1024).toFixed(0)} kB); installed with dependencies ${(installed / 1e6).toFixed(1)} MB`);
  }, 300_000);
});
