import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExtract } from '../../src/extract/index.js';
import { startSimulator, type RunningSim } from '../../src/sim/index.js';

/**
 * A full disk, for real: the project lives on a small tmpfs (root may mount
 * one on these machines; elsewhere the test says why it cannot run).
 */
const mountPoint = mkdtempSync(join(tmpdir(), 'tsdbt-tinyfs-'));
let mounted = false;
let sim: RunningSim;
beforeAll(async () => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    mounted = true;
  } catch {
    mounted = false;
  }
  sim = await startSimulator({ rateLimit: false, developers: 1, days: 10, now: new Date('2026-06-01T00:00:00Z') });
});
afterAll(async () => {
  await sim?.close();
  if (mounted) execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe('extract on a full disk', () => {
  it('fails naming the stream, and keeps the previous Parquet file intact', async (ctx) => {
    if (!mounted) ctx.skip(); // needs root to mount a tmpfs
    const project = join(mountPoint, 'p');
    cpSync('project/extract.yml', join(project, 'extract.yml'));
    cpSync('project/schemas', join(project, 'schemas'), { recursive: true });
    const now = new Date('2026-06-01T00:00:00Z');
    const first = await runExtract({ projectDir: project, url: sim.url, rateLimitPerMinute: null, now, streams: ['commits'] });
    expect(first.success).toBe(true);
    const before = readFileSync(join(project, 'data/raw/commits.parquet'));
    // Fill the disk, leaving a few KB.
    const free = Number(statfsSync(mountPoint).bavail) * Number(statfsSync(mountPoint).bsize);
    writeFileSync(join(mountPoint, 'filler'), Buffer.alloc(Math.max(0, free - 4096)));
    const err = await runExtract({ projectDir: project, url: sim.url, rateLimitPerMinute: null, now, streams: ['commits'], fullRefresh: true }).then(
      () => null,
      (e: unknown) => e as { code?: string; message: string; hint?: string },
    );
    expect(err).not.toBeNull();
    expect(err!.message).toMatch(/commits/);
    expect(err!.code).toBe('EXTRACT_LANDING');
    expect(err!.message).toBe("stream 'commits': ENOSPC: no space left on device, write");
    expect(err!.hint).toMatch(/^Free disk space where the Parquet files are written/);
    expect(readFileSync(join(project, 'data/raw/commits.parquet')).equals(before)).toBe(true);
  });
});
