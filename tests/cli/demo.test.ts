import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { bundledProjectDir } from '../../src/cli/commands/demo.js';
import { captureStreams } from '../support/project-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'tsdbt-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tsdbt demo (the README main job)', () => {
  it('extracts the simulator, builds the bundled project with every test passing, and prints the marts', async () => {
    const src = bundledProjectDir();
    cpSync(src, dir, { recursive: true, filter: (p) => !/(\/data|\/target|\/\.tsdbt|\.duckdb(\.wal)?)$/.test(p) });
    const io = captureStreams();
    const code = await runCli(['demo', '--project-dir', dir], io.streams, {});
    const out = io.stdout.join('');
    expect(io.stderr.join('')).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/Done\. PASS=\d+ WARN=0 ERROR=0 SKIP=0 NO-OP=0 TOTAL=\d+/);
    expect(out).toMatch(/\| commits +\| success \| \d+ +\| 1 +\|/);
    expect(out).toContain('AI impact by band (all weeks):');
    expect(out).toMatch(/\| low +\| +\d+ \|/);
    expect(out).toMatch(/\| high +\| +\d+ \|/);
    expect(out).toMatch(/\| \d{4}-\d\d-\d\d \| acme-corp\/api-gateway +\|/);
    expect(existsSync(join(dir, 'data/raw/commits.parquet'))).toBe(true);
    expect(existsSync(join(dir, 'target/run_results.json'))).toBe(true);
  }, 120_000);
});
