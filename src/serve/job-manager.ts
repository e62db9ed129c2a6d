import { randomUUID } from 'node:crypto';
import type { QueryResult } from './backend.js';

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
export const FINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export interface JobError {
  code: string;
  message: string;
}

/** What a job's subscribers are told: a status change, a progress step, or its end. */
export type JobEvent =
  | { type: 'status'; job: JobView }
  | { type: 'progress'; job: JobView }
  | { type: 'final'; job: JobView };

/** A job as the API shows it. */
export interface JobView {
  id: string;
  status: JobStatus;
  progress: number;
  attempts: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  queued_ms: number | null;
  run_ms: number | null;
  error: JobError | null;
  row_count: number | null;
}

/** Runs one attempt of a job; reports progress 0..1 through `progress`. Rejects with `signal.reason` when aborted. */
export type JobRunner<P> = (payload: P, signal: AbortSignal, progress: (p: number) => void) => Promise<QueryResult>;

export interface JobManagerOptions<P> {
  concurrency: number;
  timeoutMs: number;
  run: JobRunner<P>;
  /** Attempts after the first for an error `isTransient` accepts (default 3). */
  retries?: number;
  isTransient?: (e: unknown) => boolean;
  /** Base delay before a retry, doubled each time (default 100 ms). */
  retryDelayMs?: number;
  /** Finished jobs kept for GET /jobs/{id} (oldest forgotten first; default 1000). */
  keepFinished?: number;
  now?: () => number;
}

interface Job<P> {
  id: string;
  key: string;
  payload: P;
  status: JobStatus;
  progress: number;
  attempts: number;
  created: number;
  started: number | null;
  finished: number | null;
  error: JobError | null;
  result: QueryResult | null;
  controller: AbortController | null;
  listeners: Set<(e: JobEvent) => void>;
}

export class TimeoutSignal extends Error {
  readonly code = 'QUERY_TIMEOUT';
}
export class CancelSignal extends Error {
  readonly code = 'CANCELLED';
}

/**
 * Background query jobs on a pool of `concurrency` executors. A job with the
 * key of one still queued, running or (per `isReusable`) completed is that
 * job; a transient failure is retried; a job past its timeout is aborted with
 * QUERY_TIMEOUT; cancel aborts the running statement.
 */
export class JobManager<P> {
  private readonly jobs = new Map<string, Job<P>>();
  private readonly byKey = new Map<string, string>();
  private readonly queue: Job<P>[] = [];
  private running = 0;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly opts: JobManagerOptions<P>) {
    this.now = opts.now ?? Date.now;
  }

  /** The job for `key`: an existing live or reusable one, or a new queued one. */
  submit(key: string, payload: P, isReusable: (view: JobView) => boolean = () => false): { job: JobView; reused: boolean } {
    const existingId = this.byKey.get(key);
    const existing = existingId !== undefined ? this.jobs.get(existingId) : undefined;
    if (existing && (existing.status === 'queued' || existing.status === 'running' || (existing.status === 'completed' && isReusable(this.view(existing))))) {
      return { job: this.view(existing), reused: true };
    }
    const job: Job<P> = {
      id: randomUUID(), key, payload, status: 'queued', progress: 0, attempts: 0, created: this.now(), started: null, finished: null,
      error: null, result: null, controller: null, listeners: new Set(),
    };
    this.jobs.set(job.id, job);
    this.byKey.set(key, job.id);
    this.queue.push(job);
    this.pump();
    return { job: this.view(job), reused: false };
  }

  get(id: string): JobView | undefined {
    const job = this.jobs.get(id);
    return job ? this.view(job) : undefined;
  }

  result(id: string): QueryResult | null | undefined {
    const job = this.jobs.get(id);
    return job ? job.result : undefined;
  }

  /** Cancel a queued or running job; false when it had already finished. */
  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job || FINAL_STATUSES.includes(job.status)) return false;
    if (job.status === 'queued') {
      this.queue.splice(this.queue.indexOf(job), 1);
    } else {
      job.controller?.abort(new CancelSignal('cancelled by the client'));
    }
    this.finish(job, 'cancelled', { code: 'CANCELLED', message: 'The job was cancelled.' });
    return true;
  }

  /** Listen to a job's events; returns the unsubscribe function. Nothing is sent for a finished job. */
  subscribe(id: string, listener: (e: JobEvent) => void): () => void {
    const job = this.jobs.get(id);
    if (!job) return () => {};
    job.listeners.add(listener);
    return () => job.listeners.delete(listener);
  }

  stats(): { queued: number; running: number; jobs: number } {
    return { queued: this.queue.length, running: this.running, jobs: this.jobs.size };
  }

  /** Cancel everything (server shutdown). */
  close(): void {
    this.closed = true;
    for (const job of [...this.jobs.values()]) this.cancel(job.id);
  }

  private view(job: Job<P>): JobView {
    return {
      id: job.id,
      status: job.status,
      progress: job.progress,
      attempts: job.attempts,
      created_at: new Date(job.created).toISOString(),
      started_at: job.started !== null ? new Date(job.started).toISOString() : null,
      finished_at: job.finished !== null ? new Date(job.finished).toISOString() : null,
      queued_ms: job.started !== null ? job.started - job.created : null,
      run_ms: job.started !== null && job.finished !== null ? job.finished - job.started : null,
      error: job.error,
      row_count: job.result ? job.result.rows.length : null,
    };
  }

  private emit(job: Job<P>, type: JobEvent['type']): void {
    const event = { type, job: this.view(job) } as JobEvent;
    for (const l of [...job.listeners]) {
      try {
        l(event);
      } catch {
        job.listeners.delete(l);
      }
    }
  }

  private setProgress(job: Job<P>, p: number): void {
    if (job.status !== 'running') return;
    const next = Math.max(job.progress, Math.min(1, Math.round(p * 1000) / 1000));
    if (next === job.progress) return;
    job.progress = next;
    this.emit(job, 'progress');
  }

  private finish(job: Job<P>, status: JobStatus, error: JobError | null): void {
    if (FINAL_STATUSES.includes(job.status)) return;
    job.status = status;
    job.error = error;
    job.finished = this.now();
    if (status === 'completed') job.progress = 1;
    job.controller = null;
    this.emit(job, 'final');
    job.listeners.clear();
    this.forgetOld();
  }

  private forgetOld(): void {
    const keep = this.opts.keepFinished ?? 1000;
    const finished = [...this.jobs.values()].filter((j) => FINAL_STATUSES.includes(j.status));
    for (const j of finished.slice(0, Math.max(0, finished.length - keep))) {
      this.jobs.delete(j.id);
      if (this.byKey.get(j.key) === j.id) this.byKey.delete(j.key);
    }
  }

  private pump(): void {
    while (!this.closed && this.running < this.opts.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running += 1;
      void this.runJob(job).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  private async runJob(job: Job<P>): Promise<void> {
    job.status = 'running';
    job.started = this.now();
    job.progress = 0.05;
    this.emit(job, 'status');
    const retries = this.opts.retries ?? 3;
    for (;;) {
      job.attempts += 1;
      const controller = new AbortController();
      job.controller = controller;
      const timer = setTimeout(() => controller.abort(new TimeoutSignal(`The query ran past its timeout of ${this.opts.timeoutMs} ms and was cancelled.`)), this.opts.timeoutMs);
      try {
        const result = await this.opts.run(job.payload, controller.signal, (p) => this.setProgress(job, p));
        clearTimeout(timer);
        if (job.status !== 'running') return; // cancelled meanwhile
        job.result = result;
        this.finish(job, 'completed', null);
        return;
      } catch (e) {
        clearTimeout(timer);
        if (job.status !== 'running') return;
        const reason = controller.signal.aborted ? controller.signal.reason : e;
        if (reason instanceof TimeoutSignal) return this.finish(job, 'failed', { code: 'QUERY_TIMEOUT', message: reason.message });
        if (job.attempts <= retries && (this.opts.isTransient?.(e) ?? false)) {
          await new Promise((r) => setTimeout(r, (this.opts.retryDelayMs ?? 100) * 2 ** (job.attempts - 1)));
          if (job.status !== 'running') return;
          continue;
        }
        const code = (e as { code?: unknown }).code;
        return this.finish(job, 'failed', { code: typeof code === 'string' ? code : 'QUERY_FAILED', message: e instanceof Error ? e.message : String(e) });
      }
    }
  }
}
