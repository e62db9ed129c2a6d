/**
 * Client-side rate limit: a bucket of `capacity` tokens refilled at
 * `perMinute` per minute. `take()` resolves when a token is available, so
 * callers queue in order instead of collecting 429s from the server.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly perMinute: number,
    private readonly capacity: number = perMinute,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /** Wait for one token; resolves with the ms waited. Calls are served first come, first served. */
  take(): Promise<number> {
    const asked = this.now();
    const next = this.queue.then(() => this.takeOne()).then(() => Math.max(0, this.now() - asked));
    this.queue = next.then(() => undefined);
    return next;
  }

  private async takeOne(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute);
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) * this.perMinute) / 60_000);
    this.last = t;
  }
}
