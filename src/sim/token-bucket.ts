/**
 * The simulator's one server-wide rate limit: a token bucket of `capacity`
 * requests refilled continuously at `perMinute`. The real server applies it
 * before auth and to every path, `/health` included.
 */
export interface RateLimitOptions {
  capacity: number;
  perMinute: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly opts: RateLimitOptions, private readonly clock: () => number = Date.now) {
    this.tokens = opts.capacity;
    this.last = clock();
  }

  /** Take one token, or say how many whole seconds until one is available. */
  take(): TakeResult {
    const now = this.clock();
    this.tokens = Math.min(this.opts.capacity, this.tokens + ((now - this.last) / 60_000) * this.opts.perMinute);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    const secondsToOne = ((1 - this.tokens) * 60) / this.opts.perMinute;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(secondsToOne)) };
  }
}
