/**
 * The bundled cursor-sim simulator: `startSimulator(opts)` serves a seeded,
 * internally consistent dataset over HTTP on 127.0.0.1, following the real
 * server's contract (/work/shared/cursor-api.md). `generateDataset` gives the
 * same records without a server.
 */
export { startSimulator, DEFAULT_API_KEY } from './server.js';
export type { SimOptions, RunningSim } from './server.js';
export { generateDataset } from './generate-dataset.js';
export type { GenerateOptions } from './generate-dataset.js';
export type { RateLimitOptions } from './token-bucket.js';
export type {
  SimCommit, SimDataset, SimPrState, SimPullRequest, SimRepo, SimReview, SimReviewComment, SimReviewState,
  SimTeamMember,
} from './types.js';
