import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

/**
 * run-operation's console, as dbt 1.10 prints it: the version and the adapter
 * registered, then what the macro says. `log(msg, info=True)` is dbt's
 * JinjaLogInfo, printed with its time; `print(msg)` is its PrintEvent, the
 * text alone, still printed with --quiet and not at all with --no-print;
 * `log(msg)` goes to the debug log only.
 */
const MACRO = "{% macro hello() %}{{ log('logged line', info=True) }}{{ print('printed line') }}{{ log('debug line') }}{% endmacro %}";

async function operation(flags: string[]): Promise<{ code: number; out: string }> {
  const dir = makeProject({ 'macros/hello.sql': MACRO });
  const io = captureStreams();
  const code = await runCli([...flags, 'run-operation', 'hello', '--no-color', '--project-dir', dir, '--profiles-dir', dir], io.streams, {});
  return { code, out: io.stdout.join('') };
}

describe('run-operation console', () => {
  it('the version and adapter lines, the logged line with its time, the printed line without', async () => {
    const r = await operation([]);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines.map((l) => l.replace(/^\d\d:\d\d:\d\d {2}/, '<t>  '))).toEqual([
      expect.stringMatching(/^<t> {2}Running with tsdbt=\S+ \(dbt-core \S+ compatible\)$/),
      expect.stringMatching(/^<t> {2}Registered adapter: duckdb=\S+$/),
      '<t>  logged line',
      'printed line',
    ]);
  });

  it('--quiet leaves the printed line alone; --no-print drops it', async () => {
    expect((await operation(['--quiet'])).out).toBe('printed line\n');
    const noPrint = await operation(['--no-print']);
    expect(noPrint.out).toContain('logged line\n');
    expect(noPrint.out).not.toContain('printed line');
  });

  it('in JSON logs, dbt events JinjaLogInfo (I062) and PrintEvent (Z052)', async () => {
    const r = await operation(['--log-format', 'json']);
    const events = r.out.trim().split('\n').map((l) => JSON.parse(l) as { info: { name: string; code: string; msg: string } });
    expect(events.map((e) => [e.info.name, e.info.code])).toEqual([
      ['MainReportVersion', 'A001'],
      ['AdapterRegistered', 'E034'],
      ['JinjaLogInfo', 'I062'],
      ['PrintEvent', 'Z052'],
    ]);
    expect(events.slice(2).map((e) => e.info.msg)).toEqual(['logged line', 'printed line']);
  });

  it("a model's log and print, rendered in a render worker, print the same way", async () => {
    const dir = makeProject({ 'models/m.sql': "{% do log('model logged', info=True) %}{% do print('model printed') %}select 1 as x" });
    const io = captureStreams();
    expect(await runCli(['run', '--no-color', '--threads', '2', '--project-dir', dir, '--profiles-dir', dir], io.streams, {})).toBe(0);
    const out = io.stdout.join('');
    expect(out).toMatch(/^\d\d:\d\d:\d\d {2}model logged$/m);
    expect(out).toMatch(/^model printed$/m);
  });
});
