/**
 * Generates one simulated organisation's activity: commits, pull requests
 * and reviews that agree with each other (a PR's commit_ids are commits, its
 * line counts and ai_ratio are the sums of those commits, every review's
 * pr_id is a PR, non-approvals carry comments). Deterministic for
 * (seed, developers, days, now).
 */
import { Prng } from './prng.js';
import { generateDevelopers, generateRepos, type Developer, type RepoDef } from './generate-team.js';
import { compareInstants, DAY_MS, formatInstant, startOfUtcDay, type Instant } from './timestamps.js';
import { APPROVE_BODIES, BUGS, CHANGE_BODIES, CHORES, COMMENT_BODIES, FEATURES, slugify } from './text-pools.js';
import type {
  SimCommit, SimDataset, SimPrState, SimPullRequest, SimRepo, SimReview, SimReviewState,
} from './types.js';

export interface GenerateOptions {
  seed: number;
  developers: number;
  days: number;
  now: Date;
}

const HOUR_MS = 3_600_000;

interface CommitDraft {
  at: Instant;
  record: Omit<SimCommit, 'commitTs' | 'createdAt'>;
}

interface ReviewDraft {
  reviewer: Developer;
  at: Instant;
  state: SimReviewState;
}

interface PrDraft {
  author: Developer;
  repo: RepoDef;
  commits: CommitDraft[];
  created: Instant;
  state: SimPrState;
  reviewers: Developer[];
  reviews: ReviewDraft[];
  merged?: Instant;
  closed?: Instant;
  isBugFix: boolean;
  kind: 'feat' | 'fix' | 'refactor' | 'perf';
  topic: string;
  emptyAuthor: boolean;
  /** The real server leaves its title template unfilled now and then: a literal `{{ component }}`. */
  templatedTitle: boolean;
}

/** A timestamp with the precision mix the real server shows: mostly nanoseconds, sometimes ms or whole seconds. */
function instantAt(rng: Prng, ms: number): Instant {
  const whole = Math.floor(ms);
  const roll = rng.next();
  if (roll < 0.05) return { ms: Math.floor(whole / 1000) * 1000, subNanos: 0 };
  if (roll < 0.15) return { ms: whole, subNanos: 0 };
  return { ms: whole, subNanos: rng.int(0, 999_999) };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function makeCommit(rng: Prng, dev: Developer, repo: string, branch: string, primary: boolean, at: Instant,
  aiShare: number, message: string, sizeScale: number): CommitDraft {
  const added = clamp(Math.round(Math.exp(rng.normal() * 0.9) * sizeScale), 1, 3000);
  const deleted = Math.round(added * rng.float(0, 0.5));
  const ai = clamp(aiShare + rng.normal() * 0.05, 0, 0.98);
  const tabShare = rng.float(0.2, 0.7);
  const aiAdded = Math.round(added * ai);
  const tabAdded = Math.round(aiAdded * tabShare);
  const aiDeleted = Math.round(deleted * ai * 0.6);
  const tabDeleted = Math.round(aiDeleted * tabShare);
  return {
    at,
    record: {
      commitHash: rng.hex(40),
      userId: dev.userId,
      userEmail: dev.email,
      userName: dev.name,
      repoName: repo,
      branchName: branch,
      isPrimaryBranch: primary,
      totalLinesAdded: added,
      totalLinesDeleted: deleted,
      tabLinesAdded: tabAdded,
      tabLinesDeleted: tabDeleted,
      composerLinesAdded: aiAdded - tabAdded,
      composerLinesDeleted: aiDeleted - tabDeleted,
      nonAiLinesAdded: added - aiAdded,
      nonAiLinesDeleted: deleted - aiDeleted,
      message,
    },
  };
}

function pickReviewState(rng: Prng, prState: SimPrState, isLast: boolean): SimReviewState {
  // A merged PR nearly always ends with an approval; a few are merged over requested changes.
  if (prState === 'merged' && isLast) return rng.chance(0.9) ? 'approved' : 'changes_requested';
  const weights: Record<SimPrState, readonly (readonly [SimReviewState, number])[]> = {
    merged: [['approved', 55], ['changes_requested', 30], ['pending', 15]],
    closed: [['approved', 20], ['changes_requested', 55], ['pending', 25]],
    open: [['approved', 30], ['changes_requested', 35], ['pending', 35]],
  };
  return rng.weighted(weights[prState]);
}

function draftPullRequest(rng: Prng, dev: Developer, team: Developer[], repos: RepoDef[], dayStart: number,
  nowMs: number): PrDraft {
  const home = rng.pick(dev.homeRepos);
  const repo = rng.chance(0.8) ? repos.find((r) => r.fullName === home)! : rng.pick(repos);
  const isBugFix = rng.chance(0.12);
  const kind = isBugFix ? 'fix' : rng.weighted([['feat', 70], ['refactor', 20], ['perf', 10]] as const);
  const topic = isBugFix ? rng.pick(BUGS) : rng.pick(FEATURES);
  const branch = `${isBugFix ? 'fix' : 'feature'}/${slugify(topic)}-${rng.hex(4)}`;
  const aiShare = clamp(dev.aiAffinity + rng.normal() * 0.2, 0, 0.97);
  const nCommits = rng.weighted([[1, 98], [2, 1.2], [3, 0.8]] as const);
  const commits: CommitDraft[] = [];
  let t = dayStart + rng.float(8, 18.5) * HOUR_MS;
  for (let i = 0; i < nCommits; i++) {
    const message = `${kind}: ${topic}${i > 0 ? ` (part ${i + 1})` : ''}`;
    commits.push(makeCommit(rng, dev, repo.fullName, branch, false, instantAt(rng, t), aiShare, message, isBugFix ? 25 : 60));
    t += rng.float(0.2, 5) * HOUR_MS;
  }
  const firstCommitMs = commits[0]!.at.ms;
  const lastCommitMs = commits[commits.length - 1]!.at.ms;
  // As on the real server, a PR is nearly always opened before its first commit, by up to an hour;
  // AI-heavy work gets there sooner when it is opened afterwards (the signal mart_ai_impact looks for).
  const created = rng.chance(0.97)
    ? instantAt(rng, firstCommitMs - rng.float(0.01, 1) * HOUR_MS)
    : instantAt(rng, lastCommitMs + rng.float(0.05, 2.5) * (1 - 0.5 * aiShare) * HOUR_MS);
  const readyMs = Math.max(created.ms, lastCommitMs);

  const recent = nowMs - created.ms < 2 * DAY_MS;
  const state: SimPrState = (recent && rng.chance(0.6)) || rng.chance(0.05) ? 'open' : rng.chance(0.06) ? 'closed' : 'merged';

  // Exactly one review per PR, as the real server has (a lone developer reviews their own), after the
  // PR is open and holds code; it may lie in the future, like the server's.
  const others = team.filter((d) => d !== dev);
  const reviewer = others.length ? rng.pick(others) : dev;
  const reviewAt = instantAt(rng, readyMs + clamp(Math.exp(rng.normal() * 0.8) * 4, 0.1, 72) * HOUR_MS);
  const reviews: ReviewDraft[] = [{ reviewer, at: reviewAt, state: pickReviewState(rng, state, true) }];
  const reviewers = [reviewer];

  const lastActivity = reviews.length ? reviews[reviews.length - 1]!.at.ms : created.ms;
  let merged: Instant | undefined;
  let closed: Instant | undefined;
  // Merge and close times are not capped at "now": the real server's may lie days ahead.
  if (state === 'merged') {
    // The real server sends merged_at but no closed_at for a merged PR.
    merged = instantAt(rng, lastActivity + clamp(Math.exp(rng.normal() * 0.7) * 3, 0.1, 48) * HOUR_MS);
  } else if (state === 'closed') {
    closed = instantAt(rng, created.ms + rng.float(2, 96) * HOUR_MS);
  }
  return {
    author: dev, repo, commits, created, state, reviewers, reviews, merged, closed, isBugFix, kind, topic,
    emptyAuthor: rng.chance(0.01),
    templatedTitle: rng.chance(0.1),
  };
}

export function generateDataset(opts: GenerateOptions): SimDataset {
  const rng = new Prng(opts.seed);
  const nowMs = opts.now.getTime();
  const repos = generateRepos(rng, opts.developers);
  const team = generateDevelopers(rng, opts.developers, repos);
  const windowStart = nowMs - opts.days * DAY_MS;

  const drafts: PrDraft[] = [];
  const direct: CommitDraft[] = [];
  for (let d = opts.days; d >= 0; d--) {
    const dayStart = startOfUtcDay(nowMs - d * DAY_MS);
    const weekday = new Date(dayStart).getUTCDay();
    const baseRate = weekday === 0 || weekday === 6 ? 0.5 : 2.15;
    for (const dev of team) {
      const n = rng.poisson(baseRate * dev.activity);
      for (let i = 0; i < n; i++) {
        const draft = draftPullRequest(rng, dev, team, repos, dayStart, nowMs);
        if (draft.commits[0]!.at.ms >= windowStart && draft.created.ms <= nowMs) drafts.push(draft);
      }
      if (rng.chance(0.02)) {
        const home = rng.pick(dev.homeRepos);
        const repo = repos.find((r) => r.fullName === home)!;
        const at = instantAt(rng, dayStart + rng.float(8, 19) * HOUR_MS);
        const c = makeCommit(rng, dev, repo.fullName, repo.defaultBranch, true, at, dev.aiAffinity, `chore: ${rng.pick(CHORES)}`, 15);
        if (at.ms >= windowStart && at.ms <= nowMs) direct.push(c);
      }
    }
  }

  drafts.sort((a, b) => compareInstants(a.created, b.created));
  const pullRequests: SimPullRequest[] = [];
  const reviews: SimReview[] = [];
  let commentId = 0;
  drafts.forEach((d, i) => {
    const number = i + 1;
    const commitRecords = d.commits.map((c) => c.record);
    const additions = commitRecords.reduce((s, c) => s + c.totalLinesAdded, 0);
    const deletions = commitRecords.reduce((s, c) => s + c.totalLinesDeleted, 0);
    const tab = commitRecords.reduce((s, c) => s + c.tabLinesAdded, 0);
    const composer = commitRecords.reduce((s, c) => s + c.composerLinesAdded, 0);
    const aiRatio = additions === 0 ? 0 : Math.round(((tab + composer) / additions) * 10_000) / 10_000;
    const ends = [d.created, ...d.reviews.map((r) => r.at), ...(d.closed ? [d.closed] : [])];
    const updated = ends.reduce((a, b) => (compareInstants(a, b) >= 0 ? a : b));
    const pr: SimPullRequest = {
      id: number,
      number,
      title: d.templatedTitle ? `${d.kind}: {{ component }} ${d.topic}` : `${d.kind}: ${d.topic}`,
      body: `## Summary\n${d.isBugFix ? 'Fixes' : 'Implements'} ${d.topic}.\n\n## Testing\nUnit tests added.`,
      state: d.state,
      author_id: d.emptyAuthor ? '' : d.author.userId,
      author_email: d.emptyAuthor ? '' : d.author.email,
      author_name: d.emptyAuthor ? '' : d.author.name,
      repo_name: d.repo.fullName,
      base_branch: d.repo.defaultBranch,
      head_branch: commitRecords[0]!.branchName,
      // The real server's reviewers and labels are always null, initial_additions and changed_files
      // always 0, was_reverted and is_bug_fix always false; first_commit_at, last_commit_at and
      // first_review_at are never sent.
      reviewers: null,
      labels: null,
      additions,
      deletions,
      initial_additions: 0,
      changed_files: 0,
      commit_count: commitRecords.length,
      tab_lines: tab,
      composer_lines: composer,
      ai_ratio: aiRatio,
      commit_ids: commitRecords.map((c) => c.commitHash),
      was_reverted: false,
      is_bug_fix: false,
      created_at: formatInstant(d.created),
      updated_at: formatInstant(updated),
    };
    if (d.merged) pr.merged_at = formatInstant(d.merged);
    if (d.closed) pr.closed_at = formatInstant(d.closed);
    pullRequests.push(pr);

    for (const rd of d.reviews) {
      const review: SimReview = {
        id: reviews.length + 1,
        pr_id: number,
        reviewer: rd.reviewer.email,
        state: rd.state,
        submitted_at: formatInstant(rd.at),
      };
      const body = rd.state === 'approved' ? (rng.chance(0.5) ? rng.pick(APPROVE_BODIES) : '')
        : rd.state === 'changes_requested' ? rng.pick(CHANGE_BODIES) : rng.chance(0.4) ? 'Still reviewing.' : '';
      if (body) review.body = body;
      if (rd.state !== 'approved') {
        const count = rng.int(1, 3);
        review.comments = [];
        for (let c = 0; c < count; c++) {
          review.comments.push({
            id: ++commentId,
            pr_number: number,
            repo_name: d.repo.fullName,
            author_id: rd.reviewer.userId,
            body: rng.pick(COMMENT_BODIES),
            state: rd.state,
            created_at: formatInstant(instantAt(rng, rd.at.ms - rng.float(1, 30) * 60_000)),
          });
        }
      }
      reviews.push(review);
    }
  });

  const allCommits = [...drafts.flatMap((d) => d.commits), ...direct].sort((a, b) => compareInstants(a.at, b.at));
  const commits: SimCommit[] = allCommits.map((c) => ({
    ...c.record,
    commitTs: formatInstant(c.at),
    // The record is written a few seconds after the commit happens.
    createdAt: formatInstant(instantAt(rng, Math.min(nowMs, c.at.ms + rng.float(1, 120) * 1000))),
  }));

  const simRepos: SimRepo[] = repos
    .map((r) => {
      const prs = pullRequests.filter((p) => p.repo_name === r.fullName);
      return {
        full_name: r.fullName,
        default_branch: r.defaultBranch,
        open_pull_requests_count: prs.filter((p) => p.state === 'open').length,
        total_pull_requests_count: prs.length,
      };
    })
    // Only repositories with pull requests are listed, as the real server does.
    .filter((r) => r.total_pull_requests_count > 0);

  return {
    seed: opts.seed,
    developers: opts.developers,
    days: opts.days,
    now: formatInstant({ ms: nowMs, subNanos: 0 }),
    teamMembers: team.map((d) => ({ name: d.name, email: d.email, role: d.role })),
    userIds: team.map((d) => d.userId),
    repos: simRepos,
    commits,
    pullRequests,
    reviews,
  };
}
