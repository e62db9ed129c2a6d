import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: bin/ is plain JavaScript, without declarations
import { HELPER_NICE_STEP, lowerHelperThreads } from '../../bin/helper-threads.js';

const bin = resolve(__dirname, '../../bin');

/** A recording stand-in for /proc/self/task and setpriority: thread ids with their nice values. */
function fakeThreads(nice: Record<number, number>, failing: number[] = []) {
  const set: [number, number][] = [];
  return {
    set,
    options: {
      env: {},
      platform: 'linux',
      pid: 100,
      threads: () => Object.keys(nice),
      priorityOf: (tid: number) => nice[tid]!,
      setPriorityOf: (tid: number, value: number) => {
        if (failing.includes(tid)) throw new Error('ESRCH');
        set.push([tid, value]);
      },
    },
  };
}

describe("Node's helper threads at a lower priority (bin/helper-threads.js)", () => {
  it('lowers every thread but the main one by HELPER_NICE_STEP from its own nice value, at most to 19', () => {
    const { set, options } = fakeThreads({ 100: 0, 101: 0, 102: 5, 103: 15 });
    expect(HELPER_NICE_STEP).toBe(10);
    expect(lowerHelperThreads(options)).toEqual([101, 102, 103]);
    expect(set).toEqual([
      [101, 10],
      [102, 15],
      [103, 19],
    ]);
  });

  it('leaves a thread it cannot lower (gone, not permitted) as it is, and the rest lowered', () => {
    const { set, options } = fakeThreads({ 100: 0, 101: 0, 102: 0 }, [101]);
    expect(lowerHelperThreads(options)).toEqual([102]);
    expect(set).toEqual([[102, 10]]);
  });

  it('does nothing off Linux, with TSDBT_HELPER_THREADS=normal, or when the threads cannot be listed', () => {
    const { set, options } = fakeThreads({ 100: 0, 101: 0 });
    expect(lowerHelperThreads({ ...options, platform: 'darwin' })).toEqual([]);
    expect(lowerHelperThreads({ ...options, env: { TSDBT_HELPER_THREADS: 'normal' } })).toEqual([]);
    expect(
      lowerHelperThreads({
        ...options,
        threads: () => {
          throw new Error('ENOENT');
        },
      }),
    ).toEqual([]);
    expect(set).toEqual([]);
  });

  it.runIf(process.platform === 'linux')('lowers the real threads of a Node process: the main thread keeps its priority, a worker started after keeps the normal one', () => {
    const script = `
      import { readdirSync, readFileSync } from 'node:fs';
      import { Worker } from 'node:worker_threads';
      import { lowerHelperThreads } from ${JSON.stringify(`${bin}/helper-threads.js`)};
      const nice = (t) => Number(readFileSync('/proc/self/task/' + t + '/stat', 'utf8').split(') ')[1].split(' ')[16]);
      const before = readdirSync('/proc/self/task').map(Number);
      const lowered = lowerHelperThreads();
      const w = new Worker('setTimeout(() => {}, 200)', { eval: true });
      await new Promise((r) => w.once('online', r));
      const after = readdirSync('/proc/self/task').map(Number).filter((t) => !before.includes(t));
      console.log(JSON.stringify({ pid: process.pid, before, lowered, nice: Object.fromEntries(before.map((t) => [t, nice(t)])), later: after.map(nice) }));
      await w.terminate();
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, TSDBT_HELPER_THREADS: '' } });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { pid: number; before: number[]; lowered: number[]; nice: Record<string, number>; later: number[] };
    const mainNice = out.nice[out.pid]!;
    expect(out.lowered.sort()).toEqual(out.before.filter((t) => t !== out.pid).sort());
    expect(out.lowered.length).toBeGreaterThan(0);
    for (const t of out.lowered) expect(out.nice[t]).toBe(Math.min(19, mainNice + HELPER_NICE_STEP));
    // The worker's thread (and any it made) were created after: the main thread's priority.
    expect(out.later.length).toBeGreaterThan(0);
    for (const n of out.later) expect(n).toBe(mainNice);
  });

  it.runIf(process.platform === 'linux')('is done by bin/tsdbt.js before anything else starts', () => {
    // A preload notes the threads there before the CLI's entry runs and prints their nice values as the process exits.
    const preload = `
      const fs = require('node:fs');
      const nice = (t) => { try { return Number(fs.readFileSync('/proc/self/task/' + t + '/stat', 'utf8').split(') ')[1].split(' ')[16]); } catch { return null; } };
      const first = fs.readdirSync('/proc/self/task').map(Number).filter((t) => t !== process.pid);
      process.on('exit', () => process.stderr.write('NICE ' + JSON.stringify({ main: nice(process.pid), helpers: first.map(nice).filter((n) => n !== null) }) + '\\n'));
    `;
    const file = join(mkdtempSync(join(tmpdir(), 'tsdbt-nice-')), 'note-threads.cjs');
    writeFileSync(file, preload);
    const r = spawnSync(process.execPath, ['-r', file, `${bin}/tsdbt.js`, '--help'], { encoding: 'utf8', env: { ...process.env, TSDBT_HELPER_THREADS: '' } });
    const line = r.stderr.split('\n').find((l) => l.startsWith('NICE '));
    expect(line, r.stderr).toBeDefined();
    const { main, helpers } = JSON.parse(line!.slice(5)) as { main: number; helpers: number[] };
    expect(helpers.length).toBeGreaterThan(0);
    for (const n of helpers) expect(n).toBe(Math.min(19, main + HELPER_NICE_STEP));
    const off = spawnSync(process.execPath, ['-r', file, `${bin}/tsdbt.js`, '--help'], { encoding: 'utf8', env: { ...process.env, TSDBT_HELPER_THREADS: 'normal' } });
    const offLine = JSON.parse(off.stderr.split('\n').find((l) => l.startsWith('NICE '))!.slice(5)) as { main: number; helpers: number[] };
    for (const n of offLine.helpers) expect(n).toBe(offLine.main);
  });
});
