import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSim, type SimPullRequest } from '../../src/sim/index.js';
import { simGet, simJson } from './sim-client.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
const COMMIT_KEYS = [
  'commitHash', 'userId', 'userEmail', 'userName', 'repoName', 'branchName', 'isPrimaryBranch', 'totalLinesAdded',
  'totalLinesDeleted', 'tabLinesAdded', 'tabLinesDeleted', 'composerLinesAdded', 'composerLinesDeleted',
  'nonAiLinesAdded', 'nonAiLinesDeleted', 'message', 'commitTs', 'createdAt',
].sort();
const PR_KEYS = [
  'id', 'number', 'title', 'body', 'state', 'author_id', 'author_email', 'author_name', 'repo_name', 'base_branch',
  'head_branch', 'reviewers', 'labels', 'additions', 'deletions', 'initial_additions', 'changed_files', 'commit_count',
  'tab_lines', 'composer_lines', 'ai_ratio', 'commit_ids', 'was_reverted', 'is_bug_fix', 'created_at', 'updated_at',
];
const PR_OPTIONAL = ['merged_at', 'closed_at', 'first_commit_at', 'first_review_at', 'last_commit_at'];

let sim: RunningSim;
beforeAll(async () => {
  sim = await startSimulator({ now: NOW, rateLimit: false });
});
afterAll(async () => {
  await sim.close();
});

describe('GET /analytics/ai-code/commits', () => {
  it('defaults to the last 30 days, 100 per page, sorted by commitTs, with every key', async () => {
    const body = await simJson(sim, '/analytics/ai-code/commits');
    const inWindow = sim.data.commits.filter((c) => Date.parse(c.commitTs) >= NOW.getTime() - 30 * DAY);
    expect(Object.keys(body).sort()).toEqual(['items', 'page', 'pageSize', 'totalCount']);
    expect(body.totalCount).toBe(inWindow.length);
    expect(body.totalCount).toBeLessThan(sim.data.commits.length / 2);
    expect(body.page).toBe(1);
    expect(body.pageSize).toBe(100);
    expect(body.items).toEqual(inWindow.slice(0, 100));
    for (const c of body.items) expect(Object.keys(c).sort()).toEqual(COMMIT_KEYS);
  });

  it('pages a wide range completely and in order; page_size is ignored', async () => {
    const seen: string[] = [];
    let total = -1;
    for (let page = 1; ; page++) {
      const body = await simJson(sim, `/analytics/ai-code/commits?startDate=2020-01-01&endDate=now&pageSize=75&page=${page}&page_size=5`);
      total = body.totalCount;
      expect(body.pageSize).toBe(75);
      if (body.items.length === 0) break;
      seen.push(...body.items.map((c: { commitHash: string }) => c.commitHash));
    }
    expect(total).toBe(sim.data.commits.length);
    expect(seen).toEqual(sim.data.commits.map((c) => c.commitHash));
  });

  it('accepts YYYY-MM-DD (end day inclusive), RFC 3339, Nd, today and now', async () => {
    const count = async (q: string) => (await simJson(sim, `/analytics/ai-code/commits?pageSize=1&${q}`)).totalCount as number;
    const ms = sim.data.commits.map((c) => Date.parse(c.commitTs));
    const between = (a: number, b: number) => ms.filter((t) => t >= a && t <= b).length;
    const may1 = Date.parse('2026-05-01T00:00:00Z');
    expect(await count('startDate=2026-05-01&endDate=2026-05-07')).toBe(between(may1, may1 + 7 * DAY - 1));
    expect(await count('startDate=2026-05-01T06:30:00.5%2B02:00&endDate=2026-05-03T00:00:00Z'))
      .toBe(between(Date.parse('2026-05-01T04:30:00.5Z'), Date.parse('2026-05-03T00:00:00Z')));
    expect(await count('startDate=90d&endDate=now')).toBe(sim.data.commits.length);
    expect(await count('startDate=10d')).toBe(between(NOW.getTime() - 10 * DAY, NOW.getTime()));
    expect(await count('startDate=today&endDate=today')).toBe(between(Date.parse('2026-06-01T00:00:00Z'), NOW.getTime()));
  });

  it('filters by user (userId) and repoName', async () => {
    const c0 = sim.data.commits[0]!;
    const byUser = await simJson(sim, `/analytics/ai-code/commits?startDate=90d&pageSize=1000&user=${c0.userId}`);
    expect(byUser.totalCount).toBe(sim.data.commits.filter((c) => c.userId === c0.userId).length);
    expect(byUser.items.every((c: { userId: string }) => c.userId === c0.userId)).toBe(true);
    const byRepo = await simJson(sim, `/analytics/ai-code/commits?startDate=90d&pageSize=1000&repoName=${encodeURIComponent(c0.repoName)}`);
    expect(byRepo.totalCount).toBe(sim.data.commits.filter((c) => c.repoName === c0.repoName).length);
  });

  it('rejects pageSize outside 1-1000 and bad dates with 400 {"error"}', async () => {
    for (const q of ['pageSize=0', 'pageSize=1001', 'pageSize=abc', 'pageSize=-3']) {
      const r = await simGet(sim, `/analytics/ai-code/commits?${q}`);
      expect(r.status).toBe(400);
      expect(r.json()).toEqual({ error: 'pageSize must be between 1 and 1000' });
    }
    expect((await simGet(sim, '/analytics/ai-code/commits?pageSize=1000')).status).toBe(200);
    const bad = await simGet(sim, '/analytics/ai-code/commits?startDate=2026-02-31');
    expect(bad.status).toBe(400);
    expect(bad.json().error).toBe('invalid startDate "2026-02-31": use YYYY-MM-DD, an RFC 3339 timestamp, <N>d, today or now');
  });
});

describe('GitHub-style endpoints', () => {
  it('GET /repos lists repos with PRs, in a changing order', async () => {
    const orders = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const repos = await simJson(sim, '/repos');
      expect(Array.isArray(repos)).toBe(true);
      for (const r of repos) {
        expect(Object.keys(r)).toEqual(['full_name', 'default_branch', 'open_pull_requests_count', 'total_pull_requests_count']);
      }
      expect([...repos].sort((a, b) => a.full_name.localeCompare(b.full_name)))
        .toEqual([...sim.data.repos].sort((a, b) => a.full_name.localeCompare(b.full_name)));
      orders.add(repos.map((r: { full_name: string }) => r.full_name).join());
    }
    expect(orders.size).toBeGreaterThan(1);
    const total = sim.data.repos.reduce((s, r) => s + r.total_pull_requests_count, 0);
    expect(total).toBe(sim.data.pullRequests.length);
  });

  it('GET /repos/{o}/{r}/pulls returns raw arrays in a new random order each time', async () => {
    const repo = sim.data.repos[0]!;
    const a: SimPullRequest[] = await simJson(sim, `/repos/${repo.full_name}/pulls?state=all&per_page=100`);
    const b: SimPullRequest[] = await simJson(sim, `/repos/${repo.full_name}/pulls?state=all&per_page=100`);
    const expected = Math.min(100, repo.total_pull_requests_count);
    expect(a).toHaveLength(expected);
    expect(a.map((p) => p.id)).not.toEqual(b.map((p) => p.id));
    for (const pr of a) {
      expect(pr.repo_name).toBe(repo.full_name);
      const keys = Object.keys(pr);
      expect(keys.filter((k) => !PR_OPTIONAL.includes(k))).toEqual(PR_KEYS);
      if (pr.state !== 'merged') expect(keys).not.toContain('merged_at');
    }
    expect(await simJson(sim, `/repos/${repo.full_name}/pulls?per_page=500`)).toHaveLength(expected);
    expect(await simJson(sim, `/repos/${repo.full_name}/pulls`)).toHaveLength(Math.min(30, repo.total_pull_requests_count));
    const open = await simJson(sim, `/repos/${repo.full_name}/pulls?state=open&per_page=100`);
    expect(open).toHaveLength(repo.open_pull_requests_count);
    expect(await simJson(sim, '/repos/nobody/nothing/pulls')).toEqual([]);
  });

  it('GET /repos/{o}/{r}/pulls/{n}/reviews returns the PR\'s reviews, [] for an unknown PR', async () => {
    const review = sim.data.reviews.find((r) => r.comments)!;
    const pr = sim.data.pullRequests.find((p) => p.id === review.pr_id)!;
    const reviews = await simJson(sim, `/repos/${pr.repo_name}/pulls/${pr.number}/reviews`);
    expect(reviews).toEqual(sim.data.reviews.filter((r) => r.pr_id === pr.id));
    expect(Object.keys(reviews.find((r: { id: number }) => r.id === review.id)).sort())
      .toEqual([...(review.body ? ['body'] : []), 'comments', 'id', 'pr_id', 'reviewer', 'state', 'submitted_at'].sort());
    expect(Object.keys(review.comments![0]!).sort()).toEqual(['author_id', 'body', 'created_at', 'id', 'pr_number', 'repo_name', 'state']);
    const unknown = await simGet(sim, `/repos/${pr.repo_name}/pulls/987654/reviews`);
    expect(unknown.status).toBe(200);
    expect(unknown.text).toBe('[]\n');
  });
});

describe('GitHub analytics endpoints', () => {
  it('GET /analytics/github/prs pages with totals and echoes params', async () => {
    const body = await simJson(sim, '/analytics/github/prs?page=2&page_size=500');
    expect(Object.keys(body)).toEqual(['data', 'pagination', 'params']);
    expect(body.pagination).toEqual({ page: 2, page_size: 100, total: sim.data.pullRequests.length });
    expect(body.params).toEqual({});
    expect(body.data).toHaveLength(100);
    const def = await simJson(sim, '/analytics/github/prs');
    expect(def.pagination.page_size).toBe(20);
  });

  it('filters one created_at day inclusively except its last second; only an author filter keeps the order stable', async () => {
    const day = sim.data.pullRequests[100]!.created_at.slice(0, 10);
    const expected = sim.data.pullRequests.filter((p) => p.created_at.startsWith(day));
    const body = await simJson(sim, `/analytics/github/prs?start_date=${day}&end_date=${day}&page_size=100`);
    expect(body.pagination.total).toBe(expected.length);
    expect(body.params).toEqual({ start_date: day, end_date: day });
    expect(body.data.map((p: SimPullRequest) => p.id).sort((a: number, b: number) => a - b)).toEqual(expected.map((p) => p.id));
    // A status filter does not fix the order: paging it loses and duplicates rows (the real server's hash-map walk).
    const merged1 = await simJson(sim, '/analytics/github/prs?status=merged&page_size=100&page=2');
    const merged2 = await simJson(sim, '/analytics/github/prs?status=merged&page_size=100&page=2');
    expect(merged1.data.map((p: SimPullRequest) => p.id)).not.toEqual(merged2.data.map((p: SimPullRequest) => p.id));
    expect(merged1.pagination.total).toBe(sim.data.pullRequests.filter((p) => p.state === 'merged').length);
    const author = sim.data.pullRequests[0]!.author_email;
    const byAuthor1 = await simJson(sim, `/analytics/github/prs?author=${encodeURIComponent(author)}&page_size=100&page=1`);
    const byAuthor2 = await simJson(sim, `/analytics/github/prs?author=${encodeURIComponent(author)}&page_size=100&page=1`);
    expect(byAuthor1.data.map((p: SimPullRequest) => p.id)).toEqual(byAuthor2.data.map((p: SimPullRequest) => p.id));
    // A PR created in the end day's last second is left out of that day.
    const last = sim.data.pullRequests.find((p) => p.created_at.slice(11, 19) === '23:59:59');
    if (last) {
      const d = last.created_at.slice(0, 10);
      const got = await simJson(sim, `/analytics/github/prs?start_date=${d}&end_date=${d}&page_size=100`);
      expect(got.data.map((p: SimPullRequest) => p.id)).not.toContain(last.id);
    }
  });

  it('GET /analytics/github/prs without a narrow filter changes order between requests', async () => {
    const firsts = new Set<number>();
    for (let i = 0; i < 8; i++) firsts.add((await simJson(sim, '/analytics/github/prs?page_size=1')).data[0].id);
    expect(firsts.size).toBeGreaterThan(1);
    const bad = await simGet(sim, '/analytics/github/prs?start_date=05/01/2026');
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({ error: 'invalid start_date format (use YYYY-MM-DD)' });
  });

  it('GET /analytics/github/reviews filters by reviewer and pr_id', async () => {
    let total = 0;
    for (const m of sim.data.teamMembers) {
      const body = await simJson(sim, `/analytics/github/reviews?reviewer=${encodeURIComponent(m.email)}&page_size=100`);
      expect(body.params).toEqual({ reviewer: m.email });
      expect(body.pagination.total).toBe(sim.data.reviews.filter((r) => r.reviewer === m.email).length);
      total += body.pagination.total;
    }
    expect(total).toBe(sim.data.reviews.length);
    const r0 = sim.data.reviews[0]!;
    const byPr = await simJson(sim, `/analytics/github/reviews?pr_id=${r0.pr_id}`);
    expect(byPr.data).toEqual(sim.data.reviews.filter((r) => r.pr_id === r0.pr_id));
    expect(byPr.params).toEqual({ pr_id: r0.pr_id });
  });

  it('GET /teams/members lists name, email and role', async () => {
    const body = await simJson(sim, '/teams/members');
    expect(body).toEqual({ teamMembers: sim.data.teamMembers });
    expect(Object.keys(body.teamMembers[0]).sort()).toEqual(['email', 'name', 'role']);
  });
});
