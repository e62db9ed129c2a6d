import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

/** `seed --show`, as dbt's: after `Finished running`, each seed loaded, ten of its rows in random order, printed as agate prints its CSV table. */
describe('seed --show', () => {
  it('prints a random sample of ten rows of each seed (then a row of ...), numbers grouped as agate reads a CSV, before the summary', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `${1000 + i},name ${i}`).join('\n');
    const dir = makeProject({ 'seeds/big.csv': `id,label\n${rows}\n`, 'seeds/small.csv': 'flag,day\ntrue,2024-01-31\n' });
    const io = captureStreams();
    const code = await runCli(['seed', '--show', '--no-color', '--project-dir', dir, '--profiles-dir', dir], io.streams, {});
    const out = io.stdout.join('').replace(/^\d\d:\d\d:\d\d {2}/gm, '');
    expect(code).toBe(0);
    const big = out.slice(out.indexOf('Random sample of table: main.big'), out.indexOf('Random sample of table: main.small'));
    const lines = big.split('\n');
    // agate sizes a column by the rows it prints: 'name 10' or 'name 11' among the ten makes the column 7 wide, else 6 (1 sample in 66).
    const shown = lines.slice(4, 14);
    const wide = shown.some((line) => /name 1[01]/.test(line));
    const label = wide ? 'label  ' : 'label ';
    expect(lines.slice(0, 3)).toEqual(['Random sample of table: main.big', '-'.repeat('Random sample of table: main.big'.length), `|    id | ${label} |`]);
    expect(new Set(shown).size).toBe(10);
    for (const line of shown) expect(line).toMatch(wide ? /^\| 1,0(0\d|1[01]) \| name (\d |1[01]) \|$/ : /^\| 1,00\d \| name \d \|$/);
    expect(lines[14]).toBe(`|   ... | ${'...'.padEnd(label.length)} |`);
    const small = out.slice(out.indexOf('Random sample of table: main.small'));
    expect(small).toContain('| flag |        day |\n| ---- | ---------- |\n| True | 2024-01-31 |\n');
    expect(out.indexOf('Finished running 2 seeds')).toBeLessThan(out.indexOf('Random sample of table'));
    expect(out.indexOf('Random sample of table: main.small')).toBeLessThan(out.indexOf('Completed successfully'));
  });

  it('without --show, nothing of the kind', async () => {
    const dir = makeProject({ 'seeds/small.csv': 'flag\ntrue\n' });
    const io = captureStreams();
    expect(await runCli(['seed', '--project-dir', dir, '--profiles-dir', dir], io.streams, {})).toBe(0);
    expect(io.stdout.join('')).not.toContain('Random sample');
  });
});
