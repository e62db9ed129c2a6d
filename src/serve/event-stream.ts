import type { ServerResponse } from 'node:http';
import type { JobEvent, JobManager, JobView } from './job-manager.js';
import { FINAL_STATUSES } from './job-manager.js';

/**
 * A job's progress as server-sent events: `status` and `progress` events, a
 * `heartbeat` every `heartbeatMs`, then one final `completed`, `failed` or
 * `cancelled` event, after which the stream closes. A client that goes away
 * is unsubscribed at once.
 */
export function streamJob(res: ServerResponse, jobs: JobManager<unknown>, job: JobView, heartbeatMs = 2000): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  let eventId = 0;
  const send = (event: string, data: unknown) => {
    if (res.writableEnded || res.destroyed) return;
    eventId += 1;
    res.write(`id: ${eventId}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  send('status', job);
  if (FINAL_STATUSES.includes(job.status)) {
    send(job.status, job);
    res.end();
    return;
  }
  const heartbeat = setInterval(() => send('heartbeat', { ts: new Date().toISOString() }), heartbeatMs);
  heartbeat.unref?.();
  let unsubscribe = () => {};
  const stop = () => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  unsubscribe = jobs.subscribe(job.id, (e: JobEvent) => {
    if (e.type === 'final') {
      send(e.job.status, e.job);
      stop();
      res.end();
    } else send(e.type, e.job);
  });
  res.on('close', stop);
}
