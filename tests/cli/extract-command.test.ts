import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { bundledProjectDir } from '../../src/cli/commands/demo.js';
import { DEFAULT_SIM_PORT } from '../../src/cli/commands/sim.js';
import { ExtractProgressPrinter, type ProgressOut } from '../../src/cli/extract-progress.js';
import type { ExtractProgress } from '../../src/extract/index.js';

function projectCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-extract-cli-'));
  cpSync(bundledProjectDir(), dir, { recursive: true, filter: (p) => !/(\/data|\/target|\/logs|\/\.tsdbt|\.duckdb(\.wal)?)$/.test(p) });
  return dir;
}

async function cli(args: string[], isTTY = false) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const streams = { stdout: (t: string) => void stdout.push(t), stderr: (t: string) => void stderr.push(t), isTTY };
  const code = await runCli(args, streams, {});
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

describe('tsdbt extract usability', () => {
  it('tsdbt sim and project/extract.yml agree on the default address', () => {
    const yml = readFileSync(join(bundledProjectDir(), 'extract.yml'), 'utf8');
    expect(yml).toMatch(new RegExp(`^  base_url: http://127\\.0\\.0\\.1:${DEFAULT_SIM_PORT}\\b`, 'm'));
  });

  it('--sim starts the bundled simulator; --streams a,b lands just those; progress lines, no live line off a terminal', async () => {
    const dir = projectCopy();
    const r = await cli(['extract', '--sim', '--streams', 'repos,commits', '--project-dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cursor-sim simulator on http:\/\/127\.0\.0\.1:\d+$/m);
    expect(r.stdout).toMatch(/^commits: started$/m);
    expect(r.stdout).toMatch(/^commits: done 1 page, \d+ rows, 1 request$/m);
    expect(r.stdout).toMatch(/^repos: done 1 page, \d+ rows, 1 request$/m);
    expect(r.stdout).not.toContain('pull_requests');
    expect(r.stdout).not.toContain('\r');
    expect(r.stdout).toMatch(/\| commits +\| success \|/);
  }, 60_000);

  it('writes extract_results.json to the target path (--target-path), not to <project>/target', async () => {
    const dir = projectCopy();
    const target = join(mkdtempSync(join(tmpdir(), 'tsdbt-extract-target-')), 'out');
    const r = await cli(['extract', '--sim', '--streams', 'repos', '--project-dir', dir, '--target-path', target]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(target, 'extract_results.json'), 'utf8')) as { success: boolean; streams: { stream: string }[] };
    expect([results.success, results.streams.map((s) => s.stream)]).toEqual([true, ['repos']]);
    expect(existsSync(join(dir, 'target', 'extract_results.json'))).toBe(false);
  }, 60_000);

  it('draws a live status line on a terminal, and none in JSON log mode', async () => {
    const tty = await cli(['extract', '--sim', '--streams', 'repos', '--project-dir', projectCopy()], true);
    expect(tty.code).toBe(0);
    expect(tty.stdout).toMatch(/\r\x1b\[2Kextract \d+\.\d s \| repos ✓ \d+ \| 1 request/);
    const json = await cli(['extract', '--sim', '--streams', 'repos', '--log-format', 'json', '--project-dir', projectCopy()], true);
    expect(json.code).toBe(0);
    expect(json.stdout).not.toContain('\x1b[2K');
    expect(json.stdout.trim().split('\n').every((l) => JSON.parse(l).info.name !== undefined)).toBe(true);
  }, 60_000);

  it('refuses --sim with --url', async () => {
    const r = await cli(['extract', '--sim', '--url', 'http://127.0.0.1:1', '--project-dir', projectCopy()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--sim and --url both say where to extract from');
  });
});

describe('ExtractProgressPrinter', () => {
  function fake(live: boolean) {
    const lines: string[] = [];
    const drawn: (string | null)[] = [];
    const out: ProgressOut = { info: (m) => lines.push(m), debug: () => undefined, error: (m) => lines.push(`E ${m}`), live, liveLine: (t) => drawn.push(t), printerWidth: 80 };
    let t = 0;
    const printer = new ExtractProgressPrinter(out, 5000, () => t);
    const ev = (e: Partial<ExtractProgress>) => printer.on({ stream: 'pull_requests', phase: 'page', pages: 0, rows: 0, requests: 0, retries: 0, waitMs: 0, ...e });
    return { lines, drawn, ev, tick: (ms: number) => (t += ms), printer };
  }

  it('prints a stream\'s pages, rows, requests and rate-limit waits every 5 s, and a 429 pause at once', () => {
    const p = fake(false);
    p.ev({ phase: 'start' });
    p.tick(1000);
    p.ev({ pages: 1, rows: 100, requests: 1 });
    p.tick(4500);
    p.ev({ pages: 12, rows: 1100, requests: 14, waitMs: 3200 });
    p.tick(100);
    p.ev({ phase: 'wait', pages: 12, rows: 1100, requests: 15, waitMs: 3200, waitFor: 5000, message: 'server rate limit (429)' });
    p.tick(100);
    p.ev({ phase: 'wait', pages: 12, rows: 1100, requests: 15, waitMs: 3300, waitFor: 600, message: 'client rate limit' });
    p.ev({ phase: 'done', pages: 13, rows: 1200, requests: 16, waitMs: 8300 });
    expect(p.lines).toEqual([
      'pull_requests: started',
      'pull_requests: 12 pages, 1,100 rows, 14 requests, waited 3.2 s for the rate limit',
      'pull_requests: waiting 5.0 s for the server rate limit (429) (12 pages, 1,100 rows, 15 requests, waited 3.2 s for the rate limit)',
      'pull_requests: done 13 pages, 1,200 rows, 16 requests, waited 8.3 s for the rate limit',
    ]);
    expect(p.drawn).toEqual([]);
  });

  it('redraws the live line only when live, and erases it at the end', () => {
    const p = fake(true);
    p.ev({ phase: 'start' });
    p.tick(200);
    p.ev({ pages: 2, rows: 150, requests: 2 });
    p.printer.finish();
    expect(p.drawn).toEqual(['extract 0.0 s | pull_requests 0 rows/0p | 0 requests', 'extract 0.2 s | pull_requests 150 rows/2p | 2 requests', null]);
  });
});
