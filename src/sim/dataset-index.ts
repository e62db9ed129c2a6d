/**
 * Lookups the handlers need, built once per server: parsed timestamps and
 * records grouped by repository and pull request.
 */
import type { SimCommit, SimDataset, SimPullRequest, SimReview } from './types.js';

export interface DatasetIndex {
  /** epoch ms of each commit's commitTs, parallel to dataset.commits. */
  commitMs: number[];
  /** epoch ms of each PR's created_at, by PR id. */
  prCreatedMsById: Map<number, number>;
  prsByRepo: Map<string, SimPullRequest[]>;
  prById: Map<number, SimPullRequest>;
  reviewsByPrId: Map<number, SimReview[]>;
}

export function buildIndex(data: SimDataset): DatasetIndex {
  const prsByRepo = new Map<string, SimPullRequest[]>();
  const prById = new Map<number, SimPullRequest>();
  for (const pr of data.pullRequests) {
    prById.set(pr.id, pr);
    const list = prsByRepo.get(pr.repo_name) ?? [];
    list.push(pr);
    prsByRepo.set(pr.repo_name, list);
  }
  const reviewsByPrId = new Map<number, SimReview[]>();
  for (const r of data.reviews) {
    const list = reviewsByPrId.get(r.pr_id) ?? [];
    list.push(r);
    reviewsByPrId.set(r.pr_id, list);
  }
  return {
    commitMs: data.commits.map((c: SimCommit) => Date.parse(c.commitTs)),
    prCreatedMsById: new Map(data.pullRequests.map((p) => [p.id, Date.parse(p.created_at)])),
    prsByRepo,
    prById,
    reviewsByPrId,
  };
}
