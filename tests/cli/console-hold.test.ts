import { describe, expect, it } from 'vitest';
import { Output } from '../../src/cli/output.js';
import { note } from '../../src/cli/log-event.js';

function capture(): { out: Output; writes: [string, string][] } {
  const writes: [string, string][] = [];
  const out = new Output({ stdout: (t) => void writes.push(['out', t]), stderr: (t) => void writes.push(['err', t]) }, { color: false, quiet: false, debug: false, json: false });
  return { out, writes };
}

function lines(o: Output): void {
  for (let i = 0; i < 5; i++) o.event(note(`node ${i}`));
  o.warn('careful');
  o.event(note('after the warning'));
  o.result('a result');
}

describe('Output.holdConsole', () => {
  it('writes the same bytes, in the same order across stdout and stderr, in fewer writes', () => {
    const plain = capture();
    lines(plain.out);
    const held = capture();
    held.out.holdConsole();
    lines(held.out);
    // Nothing yet but what a switch of stream wrote: the five lines before the warning, then the warning.
    expect(held.writes).toHaveLength(2);
    held.out.flush();
    const per = (w: [string, string][]) => ['out', 'err'].map((s) => w.filter(([x]) => x === s).map(([, t]) => t).join(''));
    expect(per(held.writes)).toEqual(per(plain.writes));
    // stdout, stderr, stdout: three writes instead of eight, and each stream's lines in their order around the other's.
    expect(held.writes.map(([s]) => s)).toEqual(['out', 'err', 'out']);
    // Line by line, with the stream each went to: the same sequence.
    const tagged = (w: [string, string][]) => w.flatMap(([s, t]) => t.split(/(?<=\n)/).map((line) => `${s}:${line.replace(/^\d\d:\d\d:\d\d/, 'T')}`));
    expect(tagged(held.writes)).toEqual(tagged(plain.writes));
    expect(tagged(plain.writes)).toHaveLength(8);
  });

  it('writes what it holds within a moment on its own, and holds nothing after flush()', async () => {
    const c = capture();
    c.out.holdConsole();
    c.out.event(note('one'));
    expect(c.writes).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 120));
    expect(c.writes.map(([, t]) => t.replace(/^\d\d:\d\d:\d\d {2}/, ''))).toEqual(['one\n']);
    c.out.flush();
    c.out.event(note('two'));
    expect(c.writes).toHaveLength(2);
  });
});
