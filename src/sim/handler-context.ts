import type { DatasetIndex } from './dataset-index.js';
import type { Prng } from './prng.js';
import type { SimDataset } from './types.js';

/** What every request handler sees. */
export interface HandlerContext {
  data: SimDataset;
  index: DatasetIndex;
  nowMs: number;
  /** Drives the per-request random orders; seeded, so a test run is reproducible. */
  orderRng: Prng;
}
