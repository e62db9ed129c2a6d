import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { ANSI_COLOURS, colourText } from '../../src/cli/ansi-colour.js';

describe('colourText', () => {
  it('wraps text in the colour and the default-colour code', () => {
    expect(colourText('red', 'ERROR')).toBe('\u001B[31mERROR\u001B[39m');
    expect(colourText('green', 'OK')).toBe('\u001B[32mOK\u001B[39m');
    expect(colourText('yellow', 'WARN')).toBe('\u001B[33mWARN\u001B[39m');
    expect(colourText('gray', 'debug')).toBe('\u001B[90mdebug\u001B[39m');
  });

  it('colours each line on its own, \\r\\n kept whole; empty text stays empty', () => {
    expect(colourText('red', 'a\nb\r\nc\n')).toBe('\u001B[31ma\u001B[39m\n\u001B[31mb\u001B[39m\r\n\u001B[31mc\u001B[39m\n\u001B[31m\u001B[39m');
    expect(colourText('red', '')).toBe('');
  });

  it('starts the colour again after a colour ended inside the text', () => {
    expect(colourText('yellow', `x ${colourText('green', 'OK')} y`)).toBe('\u001B[33mx \u001B[32mOK\u001B[39m\u001B[33m y\u001B[39m');
  });

  it('gives the bytes chalk gives at level 1 (the library the CLI printed with before)', () => {
    const chalk = new Chalk({ level: 1 });
    const texts = ['', 'plain', 'two\nlines', 'crlf\r\nline\r\n', '\n', '\r', '\r\r\n', `in ${chalk.red('red')} and ${chalk.gray('gray\nx')}`, '\u001B[39m', 'tab\tand unicode ✓\n'];
    for (const colour of Object.keys(ANSI_COLOURS) as (keyof typeof ANSI_COLOURS)[]) {
      for (const t of texts) expect(colourText(colour, t), JSON.stringify([colour, t])).toBe(chalk[colour](t));
    }
  });
});
