/**
 * The bundled project (project/) built on a tiny hand-made raw dataset shaped
 * like the real cursor-sim's (cursor-api.md): PRs opened before their first
 * commit, null reviewers/labels, merged PRs without closed_at, no
 * first_commit_at/first_review_at, a merge in the future and a title holding a
 * literal `{{ component }}`. Every value asserted below is worked out by hand in
 * the comments.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBConnection, openDuckDBInstance } from '../../src/adapters/duckdb/duckdb-connection.js';
import { runCli } from '../../src/cli/main.js';
import { captureStreams } from '../support/project-fixture.js';
import { loadRaw, type ExtractedData } from '../sim/raw-loader.js';

const PROJECT = join(import.meta.dirname, '../../project');
const dir = mkdtempSync(join(tmpdir(), 'tsdbt-marts-fixture-'));
const db = join(dir, 'fixture.duckdb');

const commit = (hash: string, ts: string, added: number, tab: number) => ({
  commitHash: hash, userId: 'u1', userEmail: 'ada@example.com', userName: 'Ada', repoName: 'acme/api',
  branchName: `feature/${hash}`, isPrimaryBranch: false, totalLinesAdded: added, totalLinesDeleted: 0,
  tabLinesAdded: tab, tabLinesDeleted: 0, composerLinesAdded: 0, composerLinesDeleted: 0,
  nonAiLinesAdded: added - tab, nonAiLinesDeleted: 0, message: 'work', commitTs: ts, createdAt: ts,
});
// Only the keys the real server sends: no first_commit_at/last_commit_at/first_review_at, no closed_at on merges.
const pr = (id: number, title: string, state: string, created: string, commits: string[], extra: Record<string, unknown>) => ({
  id, number: id, title, body: '', state, author_id: 'u1', author_email: 'ada@example.com', author_name: 'Ada',
  repo_name: 'acme/api', base_branch: 'main', head_branch: `feature/${id}`, reviewers: null, labels: null,
  additions: 100, deletions: 20, initial_additions: 0, changed_files: 0, commit_count: commits.length,
  tab_lines: 10, composer_lines: 0, ai_ratio: 0.1, commit_ids: commits, was_reverted: false, is_bug_fix: false,
  created_at: created, updated_at: created, ...extra,
});
const review = (id: number, prId: number, at: string) => ({
  id, pr_id: prId, reviewer: 'bob@example.com', state: 'approved', submitted_at: at, repo_name: 'acme/api', pr_number: prId,
});

const data: ExtractedData = {
  commits: [commit('c1', '2026-05-04T10:00:00Z', 100, 10), commit('c2', '2026-05-04T08:00:00Z', 100, 10)],
  pullRequests: [
    // Opened 1 h before its only commit: coding 1 h (open -> commit), pickup 2 h, review 21 h, cycle 24 h.
    pr(1, 'Fix {{ component }} crash {% if x %}', 'merged', '2026-05-04T09:00:00Z', ['c1'], { merged_at: '2026-05-05T09:00:00Z' }),
    // Commit 3 h before open: coding 3 h, pickup 4 h, review 4 h, cycle 11 h.
    pr(2, 'Add {# note #} endpoint', 'merged', '2026-05-04T11:00:00Z', ['c2'], { merged_at: '2026-05-04T19:00:00Z' }),
    // Open, no commits, never reviewed: coding 0 h, no pickup, no cycle.
    pr(3, 'WIP', 'open', '2026-05-06T09:00:00Z', [], {}),
    // Merged far in the future (a server quirk), reviewed before it held code: pickup -1 h (a warning).
    pr(4, 'Future', 'merged', '2026-05-06T10:00:00Z', [], { merged_at: '2099-01-05T10:00:00Z' }),
  ],
  reviews: [
    review(11, 1, '2026-05-04T12:00:00Z'), review(12, 2, '2026-05-04T15:00:00Z'), review(14, 4, '2026-05-06T09:00:00Z'),
  ],
  repos: [{ full_name: 'acme/api', default_branch: 'main', open_pull_requests_count: 1, total_pull_requests_count: 4 }],
  requests: 0,
};

let out = '';
let code = -1;
let conn: DuckDBConnection;
beforeAll(async () => {
  cpSync(PROJECT, join(dir, 'project'), { recursive: true, filter: (p) => !/(\/data|\/target|\/\.tsdbt|\.duckdb(\.wal)?)$/.test(p) });
  const instance = await openDuckDBInstance(db);
  const load = await DuckDBConnection.open(instance);
  await loadRaw(load, data);
  await load.close();
  (instance as unknown as { closeSync?: () => void }).closeSync?.();
  const io = captureStreams();
  code = await runCli(['build', '--project-dir', join(dir, 'project'), '--target', 'ci'], io.streams, { ...process.env, CURSOR_ANALYTICS_CI_DB: db });
  out = io.stdout.join('') + io.stderr.join('');
  conn = await DuckDBConnection.open(await openDuckDBInstance(db));
}, 120_000);
afterAll(async () => {
  await conn?.close();
  rmSync(dir, { recursive: true, force: true });
});
const rows = async (sql: string) => (await conn.execute(sql)).rows;

describe('project/ on a hand-checked dataset shaped like the real server', () => {
  it('builds every model; the only non-pass is the review-order warning', () => {
    expect(code, out).toBe(0);
    expect(out).toMatch(/PASS=\d+ WARN=1 ERROR=0 SKIP=0/);
    expect(out).toMatch(/WARN 1 assert_review_after_ready/);
  });

  it('derives the lead-time phases from first commit, open, first review and merge', async () => {
    expect(await rows(`select pr_id, is_opened_before_first_commit, coding_lead_time_hours, pickup_time_hours,
        review_lead_time_hours, cycle_time_hours from main_staging.stg_pull_requests order by pr_id`)).toEqual([
      [1, true, 1, 2, 21, 24],
      [2, false, 3, 4, 4, 11],
      [3, false, 0, null, null, null],
      [4, false, 0, -1, 637_009, 637_008],
    ]);
  });

  it('averages them per week in mart_velocity', async () => {
    expect(await rows(`select cast(week as date)::varchar, repo_name, total_prs, coding_lead_time, pickup_time,
        review_lead_time, total_cycle_time, p50_cycle_time, round(p90_cycle_time, 6)
        from main_mart.mart_velocity order by week`)).toEqual([
      ['2026-05-04', 'acme/api', 2, 2, 3, 12.5, 17.5, 17.5, 22.7],
      ['2099-01-05', 'acme/api', 1, 0, -1, 637_009, 637_008, 637_008, 637_008],
    ]);
  });

  it('keeps Jinja-looking text in the data literal', async () => {
    expect(await rows('select title from main_staging.stg_pull_requests where pr_id in (1, 2) order by pr_id')).toEqual([
      ['Fix {{ component }} crash {% if x %}'], ['Add {# note #} endpoint'],
    ]);
  });

  it('builds the other marts', async () => {
    expect(await rows(`select week::date::varchar, ai_usage_band, pr_count, avg_coding_lead_time from main_mart.mart_ai_impact order by week`))
      .toEqual([['2026-05-04', 'low', 2, 2], ['2099-01-05', 'low', 1, 0]]);
    expect((await rows('select count(*) from main_mart.mart_quality'))[0]![0]).toBeGreaterThan(0);
    expect((await rows('select count(*) from main_mart.mart_review_costs'))[0]![0]).toBeGreaterThan(0);
  });
});
