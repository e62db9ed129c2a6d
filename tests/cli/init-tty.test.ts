import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `tsdbt init` on a real terminal: util-linux `script` runs the CLI (built, in
 * dist/) on a pseudo-terminal, and each prompt is answered as it appears.
 * Skipped where `script` is not installed.
 */
const BIN = fileURLToPath(new URL('../../bin/tsdbt.js', import.meta.url));
const hasScript = spawnSync('script', ['--version']).status === 0 && existsSync(fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url)));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Run `tsdbt init` in `cwd` under a pty; answers[i] is typed once the prompt matching prompts[i] is on screen. */
async function initOnTerminal(cwd: string, args: string, dialogue: [RegExp, string][]): Promise<{ code: number | null; screen: string }> {
  // Not interactive under CI: the variable is left out.
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.CI;
  const child = spawn('script', ['-qfec', `${process.execPath} ${BIN} init ${args}`, '/dev/null'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let seen = 0;
  for (const [prompt, answer] of dialogue) {
    const until = Date.now() + 60_000;
    // Each prompt is matched after the previous one, so a repeated word is not taken for the next question.
    while (!prompt.test(screen.slice(seen))) {
      if (Date.now() > until) throw new Error(`no prompt ${prompt} on the terminal:\n${screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    seen = screen.length;
    child.stdin.write(`${answer}\n`);
  }
  const code = await exited;
  child.stdin.end();
  return { code, screen };
}

describe.skipIf(!hasScript)('tsdbt init on a terminal', () => {
  it('asks for the name, database, file and threads, and writes the project with the answers', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tsdbt-init-tty-'));
    dirs.push(cwd);
    const { code, screen } = await initOnTerminal(cwd, '', [
      [/Enter a name for your project .*\[my_project\]: /, 'tty_proj'],
      [/Which database would you like to use\? duckdb or snowflake \[duckdb\]: /, 'duckdb'],
      // The default offered follows the name typed before; Enter takes it.
      [/The DuckDB file \[tty_proj\.duckdb\]: /, ''],
      [/threads \(1 or more\) \[4\]: /, '2'],
    ]);
    expect(code, screen).toBe(0);
    expect(screen).toContain('Your new dbt project "tty_proj" was created in');
    const dir = join(cwd, 'tty_proj');
    expect(readFileSync(join(dir, 'profiles.yml'), 'utf8')).toBe('tty_proj:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: tty_proj.duckdb\n      threads: 2\n');
    expect(readFileSync(join(dir, 'dbt_project.yml'), 'utf8')).toMatch(/^name: 'tty_proj'\nversion: '1\.0\.0'\nprofile: 'tty_proj'\n/);
    for (const f of ['models/example/first_model.sql', 'models/example/second_model.sql', 'models/example/schema.yml', '.gitignore', 'README.md']) expect(existsSync(join(dir, f)), f).toBe(true);
  }, 120_000);

  it('a name given on the command line is not asked again; snowflake writes an env_var profile and asks no file', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tsdbt-init-tty-'));
    dirs.push(cwd);
    const { code, screen } = await initOnTerminal(cwd, 'sf_proj', [
      [/Which database would you like to use\? duckdb or snowflake \[duckdb\]: /, 'snowflake'],
      [/threads \(1 or more\) \[4\]: /, '8'],
    ]);
    expect(code, screen).toBe(0);
    expect(screen).not.toContain('Enter a name');
    expect(screen).not.toContain('The DuckDB file');
    const profile = readFileSync(join(cwd, 'sf_proj', 'profiles.yml'), 'utf8');
    expect(profile).toContain("type: snowflake\n      account: \"{{ env_var('SNOWFLAKE_ACCOUNT') }}\"");
    expect(profile).toContain('threads: 8\n');
  }, 120_000);
});
