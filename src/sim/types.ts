/**
 * The records the simulator serves, in exactly the shape cursor-api.md gives
 * (camelCase commits, snake_case pull requests and reviews). Optional keys
 * are the ones the real server omits when null or absent.
 */

/** `GET /analytics/ai-code/commits` item. Every key is always present. */
export interface SimCommit {
  commitHash: string;
  userId: string;
  userEmail: string;
  userName: string;
  repoName: string;
  branchName: string;
  isPrimaryBranch: boolean;
  totalLinesAdded: number;
  totalLinesDeleted: number;
  tabLinesAdded: number;
  tabLinesDeleted: number;
  composerLinesAdded: number;
  composerLinesDeleted: number;
  nonAiLinesAdded: number;
  nonAiLinesDeleted: number;
  message: string;
  commitTs: string;
  createdAt: string;
}

export type SimPrState = 'open' | 'closed' | 'merged';

export interface SimPullRequest {
  id: number;
  number: number;
  title: string;
  body: string;
  state: SimPrState;
  author_id: string;
  author_email: string;
  author_name: string;
  repo_name: string;
  base_branch: string;
  head_branch: string;
  reviewers: string[] | null;
  labels: string[] | null;
  additions: number;
  deletions: number;
  initial_additions: number;
  changed_files: number;
  commit_count: number;
  tab_lines: number;
  composer_lines: number;
  ai_ratio: number;
  commit_ids: string[];
  was_reverted: boolean;
  is_bug_fix: boolean;
  created_at: string;
  updated_at: string;
  merged_at?: string;
  closed_at?: string;
  first_commit_at?: string;
  first_review_at?: string;
  last_commit_at?: string;
}

export type SimReviewState = 'approved' | 'changes_requested' | 'pending';

export interface SimReviewComment {
  id: number;
  pr_number: number;
  repo_name: string;
  author_id: string;
  body: string;
  state: SimReviewState;
  created_at: string;
}

export interface SimReview {
  id: number;
  pr_id: number;
  reviewer: string;
  state: SimReviewState;
  submitted_at: string;
  /** Omitted when empty. */
  body?: string;
  /** Present only when the review is not an approval. */
  comments?: SimReviewComment[];
}

/** `GET /repos` item. */
export interface SimRepo {
  full_name: string;
  default_branch: string;
  open_pull_requests_count: number;
  total_pull_requests_count: number;
}

/** `GET /teams/members` item. */
export interface SimTeamMember {
  name: string;
  email: string;
  role: string;
}

/** Everything one simulator serves; arrays sorted as the server sorts them. */
export interface SimDataset {
  seed: number;
  developers: number;
  days: number;
  /** The simulator's fixed "now", RFC 3339. */
  now: string;
  teamMembers: SimTeamMember[];
  /** Each member's userId, in teamMembers order (commits carry it; members do not). */
  userIds: string[];
  repos: SimRepo[];
  /** Sorted by commitTs. */
  commits: SimCommit[];
  /** Sorted by id (= created_at order). */
  pullRequests: SimPullRequest[];
  /** Sorted by id. */
  reviews: SimReview[];
}
