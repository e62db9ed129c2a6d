import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { chalkPaint, plainText } from '../../src/cli/console-colour.js';
import { Output } from '../../src/cli/output.js';

function terminal(isTTY: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  return { streams: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), isTTY }, out, err };
}

describe('console colours', () => {
  it('chalk paints the four colours with the basic codes, each line on its own', async () => {
    const paint = await chalkPaint();
    expect(paint('red', 'ERROR')).toBe('\u001B[31mERROR\u001B[39m');
    expect(paint('green', 'OK')).toBe('\u001B[32mOK\u001B[39m');
    expect(paint('yellow', 'a\nb')).toBe('\u001B[33ma\u001B[39m\n\u001B[33mb\u001B[39m');
    expect(paint('gray', 'debug')).toBe('\u001B[90mdebug\u001B[39m');
    expect(plainText('red', 'ERROR')).toBe('ERROR');
  });

  it('an Output with colour on but nothing to paint with prints plain text', () => {
    const t = terminal(true);
    new Output(t.streams, { color: true, quiet: false, debug: false, json: false }).warn('w');
    expect(t.err.join('')).toBe('[WARNING]: w\n');
  });

  it('a terminal gets a yellow warning; NO_COLOR, --no-use-colors and a pipe get plain text', async () => {
    const env = { DBT_WARN_ERROR: 'maybe' };
    const tty = terminal(true);
    await runCli(['--version'], tty.streams, env);
    expect(tty.err.join('')).toBe("\u001B[33m[WARNING]: DBT_WARN_ERROR='maybe' is not a boolean (true or false); ignored.\u001B[39m\n");
    for (const [args, e, isTTY] of [[['--version'], { ...env, NO_COLOR: '1' }, true], [['--no-use-colors', '--version'], env, true], [['--version'], env, false]] as const) {
      const t = terminal(isTTY);
      await runCli([...args], t.streams, e);
      expect(t.err.join('')).toBe("[WARNING]: DBT_WARN_ERROR='maybe' is not a boolean (true or false); ignored.\n");
    }
  });
});
