import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/sim/index.js';
import { runExtract } from '../../src/extract/index.js';

describe('a stale incremental state', () => {
  it('fails the count check with a hint to run --full-refresh, which then lands the new server\'s data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-extract-stale-'));
    cpSync('project/extract.yml', join(dir, 'extract.yml'));
    cpSync('project/schemas', join(dir, 'schemas'), { recursive: true });
    const now = new Date('2026-06-03T12:00:00Z');
    const first = await startSimulator({ seed: 1, rateLimit: false, now });
    await runExtract({ projectDir: dir, url: first.url, rateLimitPerMinute: null, now });
    await first.close();
    // The server was restarted with a shorter history: the saved cursors no longer describe it.
    const second = await startSimulator({ seed: 2, days: 30, rateLimit: false, now });
    try {
      const err = await runExtract({ projectDir: dir, url: second.url, rateLimitPerMinute: null, now }).catch((e) => e);
      const errors = 'errors' in err ? err.errors : [err];
      if (!errors.some((e: { message?: string }) => e.message?.startsWith("stream 'pull_requests'"))) throw err;
      const prs = errors.find((e: { message: string }) => e.message.startsWith("stream 'pull_requests'"));
      expect(prs.code).toBe('EXTRACT_COUNT');
      expect(prs.message).toMatch(/^stream 'pull_requests': count check failed: the sum of repos\.total_pull_requests_count is \d+ but \d+ records are in this run and the earlier ones$/);
      expect(prs.hint).toMatch(/^This run continued from the saved state \(\.tsdbt\/extract_state\.json, created_at \S+\), which looks stale: .* Run `tsdbt extract --full-refresh` to start over\.$/);
      const fresh = await runExtract({ projectDir: dir, url: second.url, rateLimitPerMinute: null, now, fullRefresh: true });
      expect(fresh.success).toBe(true);
      expect(fresh.streams.find((s) => s.stream === 'pull_requests')!.rows).toBe(second.data.pullRequests.length);
    } finally {
      await second.close();
    }
  }, 60_000);
});
