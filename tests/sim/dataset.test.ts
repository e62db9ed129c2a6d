import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/sim/index.js';
import type { SimDataset } from '../../src/sim/index.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function small(seed = 1): SimDataset {
  return generateDataset({ seed, developers: 2, days: 90, now: NOW });
}

describe('generateDataset', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(JSON.stringify(small(5))).toBe(JSON.stringify(small(5)));
    expect(small(5).commits[0]!.commitHash).not.toBe(small(6).commits[0]!.commitHash);
  });

  it('has about the real server volumes for 2 and 50 developers over 90 days', () => {
    const d = small();
    expect(d.commits.length).toBeGreaterThan(280);
    expect(d.commits.length).toBeLessThan(390);
    expect(d.pullRequests.length).toBeGreaterThan(275);
    expect(d.pullRequests.length).toBeLessThan(380);
    expect(d.reviews.length).toBeGreaterThan(270);
    expect(d.reviews.length).toBeLessThan(380);
    const big = generateDataset({ seed: 1, developers: 50, days: 90, now: NOW });
    expect(big.teamMembers).toHaveLength(50);
    expect(big.commits.length).toBeGreaterThan(7000);
    expect(big.commits.length).toBeLessThan(8400);
    expect(big.pullRequests.length).toBeGreaterThan(7000);
    expect(big.pullRequests.length).toBeLessThan(8300);
    // Exactly one review per PR, as measured on the real server.
    expect(big.reviews.length).toBe(big.pullRequests.length);
    expect(new Set(big.teamMembers.map((m) => m.email)).size).toBe(50);
  });

  it('sizes the team and the window from developers and days', () => {
    const d = generateDataset({ seed: 3, developers: 5, days: 10, now: NOW });
    expect(d.teamMembers).toHaveLength(5);
    expect(d.userIds).toHaveLength(5);
    expect(new Set(d.commits.map((c) => c.userId)).size).toBe(5);
    const first = Math.min(...d.commits.map((c) => Date.parse(c.commitTs)));
    expect(first).toBeGreaterThanOrEqual(NOW.getTime() - 10 * 86_400_000);
    expect(d.pullRequests.length).toBeGreaterThan(40);
    expect(d.pullRequests.length).toBeLessThan(150);
  });

  it('keeps everything inside the window and sorted', () => {
    const d = small();
    const start = NOW.getTime() - 90 * 86_400_000;
    const ms = d.commits.map((c) => Date.parse(c.commitTs));
    expect(Math.min(...ms)).toBeGreaterThanOrEqual(start);
    expect(Math.max(...ms)).toBeLessThanOrEqual(NOW.getTime());
    expect([...ms].sort((a, b) => a - b)).toEqual(ms);
    expect(d.pullRequests.map((p) => p.id)).toEqual(d.pullRequests.map((_, i) => i + 1));
    expect(d.pullRequests.every((p) => p.id === p.number && Date.parse(p.created_at) <= NOW.getTime())).toBe(true);
  });

  it('links PRs to their commits with matching line counts and ai_ratio', () => {
    const d = small();
    const byHash = new Map(d.commits.map((c) => [c.commitHash, c]));
    expect(byHash.size).toBe(d.commits.length);
    const used = new Set<string>();
    let openedFirst = 0;
    for (const pr of d.pullRequests) {
      const cs = pr.commit_ids.map((h) => byHash.get(h)!);
      expect(cs.every(Boolean)).toBe(true);
      cs.forEach((c) => {
        expect(used.has(c.commitHash)).toBe(false);
        used.add(c.commitHash);
        expect(c.repoName).toBe(pr.repo_name);
        expect(c.branchName).toBe(pr.head_branch);
        expect(c.isPrimaryBranch).toBe(false);
        expect(c.tabLinesAdded + c.composerLinesAdded + c.nonAiLinesAdded).toBe(c.totalLinesAdded);
        expect(c.tabLinesDeleted + c.composerLinesDeleted + c.nonAiLinesDeleted).toBe(c.totalLinesDeleted);
      });
      expect(pr.commit_count).toBe(cs.length);
      expect(pr.additions).toBe(cs.reduce((s, c) => s + c.totalLinesAdded, 0));
      expect(pr.deletions).toBe(cs.reduce((s, c) => s + c.totalLinesDeleted, 0));
      expect(pr.tab_lines).toBe(cs.reduce((s, c) => s + c.tabLinesAdded, 0));
      expect(pr.composer_lines).toBe(cs.reduce((s, c) => s + c.composerLinesAdded, 0));
      // The real server's initial_additions and changed_files are always 0.
      expect([pr.initial_additions, pr.changed_files]).toEqual([0, 0]);
      // Rounded to 4 decimals.
      expect(Math.abs(pr.ai_ratio - (pr.tab_lines + pr.composer_lines) / pr.additions)).toBeLessThanOrEqual(0.00005 + 1e-12);
      if (Date.parse(pr.created_at) < Date.parse(cs[0]!.commitTs)) openedFirst++;
      // Opened at most an hour before the first commit.
      expect(Date.parse(cs[0]!.commitTs) - Date.parse(pr.created_at)).toBeLessThanOrEqual(3_600_000);
    }
    // Like the real server: nearly every PR is opened before its first commit.
    expect(openedFirst / d.pullRequests.length).toBeGreaterThan(0.9);
    expect(openedFirst).toBeLessThan(d.pullRequests.length);
    // Commits outside every PR are direct pushes to the default branch.
    const direct = d.commits.filter((c) => !used.has(c.commitHash));
    expect(direct.every((c) => c.isPrimaryBranch)).toBe(true);
  });

  it('gives reviews that match their PR, with comments exactly when not approved', () => {
    const d = small();
    const prs = new Map(d.pullRequests.map((p) => [p.id, p]));
    expect(new Set(d.reviews.map((r) => r.id)).size).toBe(d.reviews.length);
    for (const r of d.reviews) {
      const pr = prs.get(r.pr_id)!;
      expect(pr).toBeDefined();
      expect(r.reviewer).not.toBe(pr.author_email);
      expect(['approved', 'changes_requested', 'pending']).toContain(r.state);
      if (r.state === 'approved') expect(r).not.toHaveProperty('comments');
      else {
        expect(r.comments!.length).toBeGreaterThan(0);
        expect(r.comments!.every((c) => c.pr_number === pr.number && c.repo_name === pr.repo_name)).toBe(true);
      }
      if ('body' in r) expect(r.body).not.toBe('');
      expect(Date.parse(r.submitted_at)).toBeGreaterThan(Date.parse(pr.created_at));
    }
    // Exactly one review per PR.
    expect(d.reviews.map((r) => r.pr_id).sort((a, b) => a - b)).toEqual(d.pullRequests.map((p) => p.id));
    let mergedReviewed = 0;
    let mergedApproved = 0;
    for (const pr of d.pullRequests) {
      const rs = d.reviews.filter((r) => r.pr_id === pr.id);
      if (pr.state === 'merged' && rs.length) {
        mergedReviewed++;
        if (rs[rs.length - 1]!.state === 'approved') mergedApproved++;
      }
    }
    // Merged PRs end with an approval, except a few merged over requested changes.
    expect(mergedApproved / mergedReviewed).toBeGreaterThan(0.8);
    expect(mergedApproved).toBeLessThan(mergedReviewed);
  });

  it('shapes PR states, quirks and flags as the real server does', () => {
    const d = small();
    for (const pr of d.pullRequests) {
      if (pr.state === 'merged') {
        expect(pr.merged_at).toBeDefined();
        // The real server sends no closed_at on a merged PR.
        expect(pr).not.toHaveProperty('closed_at');
      } else if (pr.state === 'closed') {
        expect(pr).not.toHaveProperty('merged_at');
        expect(pr.closed_at).toBeDefined();
      } else {
        expect(pr).not.toHaveProperty('merged_at');
        expect(pr).not.toHaveProperty('closed_at');
      }
      // Fields the real server never fills.
      expect([pr.reviewers, pr.labels, pr.was_reverted, pr.is_bug_fix]).toEqual([null, null, false, false]);
      for (const key of ['first_commit_at', 'last_commit_at', 'first_review_at']) expect(pr).not.toHaveProperty(key);
    }
    const states = new Set(d.pullRequests.map((p) => p.state));
    expect([...states].sort()).toEqual(['closed', 'merged', 'open']);
    // Titles sometimes hold the server's unfilled template, a literal {{ component }}.
    expect(d.pullRequests.some((p) => p.title.includes('{{ component }}'))).toBe(true);
    // Merges and reviews may lie in the future.
    expect(d.reviews.some((r) => Date.parse(r.submitted_at) > Date.parse(d.now))).toBe(true);
    const bands = new Set(d.pullRequests.map((p) => (p.ai_ratio < 0.3 ? 'low' : p.ai_ratio < 0.6 ? 'medium' : 'high')));
    expect(bands.size).toBe(3);
  });

  it('writes RFC 3339 timestamps with a variable number of fraction digits', () => {
    const d = small();
    const stamps = [...d.commits.flatMap((c) => [c.commitTs, c.createdAt]), ...d.pullRequests.map((p) => p.created_at)];
    expect(stamps.every((s) => RFC3339.test(s))).toBe(true);
    const digits = new Set(stamps.map((s) => (/\.(\d+)Z$/.exec(s)?.[1] ?? '').length));
    expect(digits.has(0)).toBe(true);
    expect(digits.has(9)).toBe(true);
    expect(digits.size).toBeGreaterThanOrEqual(4);
  });
});
