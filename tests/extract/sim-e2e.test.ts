import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator, type RunningSim } from '../../src/sim/index.js';
import { runExtract } from '../../src/extract/index.js';
import { DuckDBConnection, openDuckDBInstance } from '../../src/adapters/duckdb/duckdb-connection.js';

function bundledProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-extract-sim-'));
  cpSync('project/extract.yml', join(dir, 'extract.yml'));
  cpSync('project/schemas', join(dir, 'schemas'), { recursive: true });
  return dir;
}

async function withSim<T>(opts: Parameters<typeof startSimulator>[0], f: (sim: RunningSim) => Promise<T>): Promise<T> {
  const sim = await startSimulator(opts);
  try {
    return await f(sim);
  } finally {
    await sim.close();
  }
}

function counts(sim: RunningSim) {
  return {
    commits: sim.data.commits.length,
    repos: sim.data.repos.length,
    pull_requests: sim.data.pullRequests.length,
    team_members: sim.data.teamMembers.length,
    reviews: sim.data.reviews.length,
  };
}

describe('bundled cursor-sim streams against the simulator', () => {
  it('lands every record exactly once, with reviews joined to their PRs', async () => {
    await withSim({ rateLimit: false, seed: 7 }, async (sim) => {
      const dir = bundledProject();
      const target = await DuckDBConnection.open(await openDuckDBInstance(':memory:'));
      const r = await runExtract({ projectDir: dir, url: sim.url, rateLimitPerMinute: null, now: new Date(sim.data.now), connection: target });
      expect(Object.fromEntries(r.streams.map((s) => [s.stream, s.rows]))).toEqual(counts(sim));
      expect(r.streams.every((s) => s.status === 'success' && s.warnings.length === 0)).toBe(true);
      const q = async (sql: string) => (await target.execute(sql)).rows;
      expect((await q('select commit_hash from raw.commits order by commit_hash')).map((x) => x[0])).toEqual(
        sim.data.commits.map((c) => c.commitHash).sort(),
      );
      expect((await q('select id from raw.pull_requests order by id')).map((x) => x[0])).toEqual(sim.data.pullRequests.map((p) => p.id));
      expect((await q('select count(distinct id) from raw.reviews'))[0]![0]).toBe(sim.data.reviews.length);
      const prById = new Map(sim.data.pullRequests.map((p) => [p.id, p]));
      const reviews = await q('select id, pr_id, repo_name, pr_number from raw.reviews order by id');
      expect(reviews).toEqual(sim.data.reviews.map((v) => [v.id, v.pr_id, prById.get(v.pr_id)!.repo_name, prById.get(v.pr_id)!.number]));
      expect((await q('select sum(total_pull_requests_count) from raw.repos'))[0]![0]).toBe(sim.data.pullRequests.length);
      // Timestamps keep their instant; absent optional fields are NULL.
      const c0 = sim.data.commits[0]!;
      const [whole, frac = ''] = c0.commitTs.replace('Z', '').split('.');
      expect(await q(`select strftime(commit_ts, '%Y-%m-%dT%H:%M:%S.%f') from raw.commits where commit_hash = '${c0.commitHash}'`)).toEqual([
        [`${whole}.${frac.padEnd(6, '0').slice(0, 6)}`],
      ]);
      const types = async (t: string) => (await q(`describe raw.${t}`)).map((x) => `${x[0]} ${x[1]}`);
      expect(await types('reviews')).toEqual([
        'id BIGINT',
        'pr_id BIGINT',
        'reviewer VARCHAR',
        'state VARCHAR',
        'submitted_at TIMESTAMP WITH TIME ZONE',
        'body VARCHAR',
        'comments STRUCT(id BIGINT, pr_number BIGINT, repo_name VARCHAR, author_id VARCHAR, body VARCHAR, state VARCHAR, created_at TIMESTAMP WITH TIME ZONE)[]',
        'repo_name VARCHAR',
        'pr_number BIGINT',
      ]);
      expect((await types('commits')).slice(0, 7)).toEqual([
        'commit_hash VARCHAR',
        'user_id VARCHAR',
        'user_email VARCHAR',
        'user_name VARCHAR',
        'repo_name VARCHAR',
        'branch_name VARCHAR',
        'is_primary_branch BOOLEAN',
      ]);
      expect((await types('commits')).slice(-2)).toEqual(['commit_ts TIMESTAMP WITH TIME ZONE', 'created_at TIMESTAMP WITH TIME ZONE']);
      expect((await types('pull_requests')).filter((t) => /\[\]|DOUBLE/.test(t))).toEqual([
        'reviewers VARCHAR[]',
        'labels VARCHAR[]',
        'ai_ratio DOUBLE',
        'commit_ids VARCHAR[]',
      ]);
      // Comments exist only on reviews that are not approvals.
      expect((await q("select count(*) from raw.reviews where state = 'approved' and comments is not null"))[0]![0]).toBe(0);
      const withComments = sim.data.reviews.filter((v) => v.comments !== undefined).length;
      expect((await q('select count(*) from raw.reviews where comments is not null'))[0]![0]).toBe(withComments);
      const open = sim.data.pullRequests.filter((p) => p.merged_at === undefined).length;
      expect((await q('select count(*) from raw.pull_requests where merged_at is null'))[0]![0]).toBe(open);
      expect(r.totals.requests).toBe(sim.requestCount);
    });
  });

  it('stays within the real rate limit: no 429s, and reports the request count', async () => {
    await withSim({ seed: 3 }, async (sim) => {
      const r = await runExtract({ projectDir: bundledProject(), url: sim.url, now: new Date(sim.data.now) });
      expect(Object.fromEntries(r.streams.map((s) => [s.stream, s.rows]))).toEqual(counts(sim));
      expect(r.totals.retries).toBe(0);
      expect(r.totals.requests).toBe(sim.requestCount);
      expect(r.totals.requests).toBeLessThanOrEqual(25);
    });
  });

  it('finds a years-long history without an assumed start date', async () => {
    // 1,000 days before 2026-06-01 reach back to 2023: an extractor starting at 2024-01-01 loses PRs.
    await withSim({ rateLimit: false, seed: 11, developers: 1, days: 1000, now: new Date('2026-06-01T12:00:00Z') }, async (sim) => {
      expect(sim.data.pullRequests[0]!.created_at < '2024-01-01').toBe(true);
      const r = await runExtract({ projectDir: bundledProject(), url: sim.url, rateLimitPerMinute: null, now: new Date(sim.data.now) });
      expect(Object.fromEntries(r.streams.map((s) => [s.stream, s.rows]))).toEqual(counts(sim));
      // The empty years before the history cost a handful of requests, not one per window.
      const prs = r.streams.find((s) => s.stream === 'pull_requests')!;
      expect(prs.requests).toBeLessThanOrEqual(Math.ceil(sim.data.pullRequests.length / 100) * 3 + 10);
    });
  }, 60_000);

  it('pages a busy day by author: more than a page of one status on one day, in random order', async () => {
    await withSim({ rateLimit: false, seed: 13, developers: 200, days: 7, now: new Date('2026-06-03T12:00:00Z') }, async (sim) => {
      const perDayStatus = new Map<string, number>();
      for (const p of sim.data.pullRequests) {
        const k = `${p.created_at.slice(0, 10)} ${p.state}`;
        perDayStatus.set(k, (perDayStatus.get(k) ?? 0) + 1);
      }
      expect(Math.max(...perDayStatus.values())).toBeGreaterThan(100);
      expect(sim.data.pullRequests.some((p) => p.author_email === '')).toBe(true);
      const target = await DuckDBConnection.open(await openDuckDBInstance(':memory:'));
      const r = await runExtract({ projectDir: bundledProject(), url: sim.url, rateLimitPerMinute: null, now: new Date(sim.data.now), connection: target });
      expect(Object.fromEntries(r.streams.map((s) => [s.stream, s.rows]))).toEqual(counts(sim));
      expect((await target.execute('select id from raw.pull_requests order by id')).rows.map((x) => x[0])).toEqual(sim.data.pullRequests.map((p) => p.id));
      await target.close();
    });
  }, 120_000);

  it('honours the server 429s when the client-side limit is off', async () => {
    await withSim({ seed: 5, rateLimit: { capacity: 3, perMinute: 600 } }, async (sim) => {
      const r = await runExtract({ projectDir: bundledProject(), url: sim.url, rateLimitPerMinute: null, now: new Date(sim.data.now) });
      expect(Object.fromEntries(r.streams.map((s) => [s.stream, s.rows]))).toEqual(counts(sim));
      expect(r.totals.retries).toBeGreaterThan(0);
      expect(sim.requestCount).toBe(r.totals.requests);
    });
  }, 60_000);

  it('a second run is incremental: fewer requests, same complete tables', async () => {
    await withSim({ rateLimit: false, seed: 9 }, async (sim) => {
      const dir = bundledProject();
      const now = new Date(sim.data.now);
      const first = await runExtract({ projectDir: dir, url: sim.url, rateLimitPerMinute: null, now });
      const logs: string[] = [];
      const second = await runExtract({ projectDir: dir, url: sim.url, rateLimitPerMinute: null, now, log: (l, m) => l === 'debug' && logs.push(m) });
      expect(Object.fromEntries(second.streams.map((s) => [s.stream, s.rows]))).toEqual(counts(sim));
      const lastCommit = sim.data.commits[sim.data.commits.length - 1]!.commitTs;
      expect(logs.find((m) => m.includes('/analytics/ai-code/commits'))).toContain(`startDate=${encodeURIComponent(lastCommit)}`);
      const lastPr = sim.data.pullRequests.map((p) => Date.parse(p.created_at)).sort((a, b) => a - b).pop()!;
      const lastPrDay = new Date(lastPr - 30 * 86_400_000).toISOString().slice(0, 10); // lookback_days: 30
      expect(logs.filter((m) => m.includes('/analytics/github/prs')).map((m) => /start_date=(\d{4}-\d{2}-\d{2})/.exec(m)![1]!).sort()[0]).toBe(lastPrDay);
      expect(second.totals.requests).toBeLessThan(first.totals.requests);
    });
  });

  it('says to check the API key when the server rejects it', async () => {
    await withSim({ rateLimit: false, apiKey: 'the-real-key' }, async (sim) => {
      const err = await runExtract({
        projectDir: bundledProject(),
        url: sim.url,
        streams: ['repos'],
        env: { CURSOR_API_KEY: 'stale-key' },
      }).catch((e) => e);
      expect(err.code).toBe('EXTRACT_HTTP');
      expect(err.message).toBe(`stream 'repos': GET ${sim.url}/repos answered 401 Unauthorized: "{\\"error\\":\\"Unauthorized\\"}"`);
      expect(err.hint).toBe('Check the API key: the Basic auth username comes from env var CURSOR_API_KEY (set).');
    });
  });
});
