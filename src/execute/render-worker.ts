/**
 * A render worker: one of the `--threads N` threads that render and run
 * nodes. It prepares itself with the setup named in its workerData (loads
 * and parses the project as soon as it starts, then, once the coordinator
 * sends its database session, builds the runtime context on it), then runs the nodes the coordinator sends, one at a
 * time, answering each with its result and the relation-cache changes it
 * made. Rendering blocks this thread on the database; the coordinator's
 * thread stays free for scheduling, output and signals.
 *
 * Loaded through the bootstrap in sync-bridge-bootstrap.ts (so it runs from
 * `.ts` sources in tests); never imported by the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SyncBridge } from '../adapters/base/sync-bridge.js';
import { CacheSync } from './render-cache-sync.js';
import { errorToWire, LOG_DELAY_MS, resultToWire, type FromWorker, type LogLine, type PreparedWorker, type ToWorker, type WorkerData, type WorkerExecution } from './render-protocol.js';

type SessionMessage = Extract<ToWorker, { type: 'session' }>;
type Setup = (args: unknown, threadId: string, log: (level: 'info' | 'debug' | 'warn', text: string) => void, parsed: Promise<void>) => Promise<PreparedWorker>;

const input = workerData as WorkerData;
const port = parentPort!;
// Debug lines (one per statement under --debug or a debug log file) travel with the node's result, not a message
// each; held longer than LOG_DELAY_MS (a slow statement), they go with the next line. Info and warning lines (a
// model's own log() calls) go at once. Every message sends what is held first, so the order is kept.
let logs: LogLine[] = [];
let logsSince = 0;
// A queued node's `started` is said just before its first statement (or its first info line), not as it starts:
// a node answered without one (a data test whose result its batch already has) says it with its result, one
// message instead of two. Nothing is logged between a node's start and then, so the coordinator sees the same order.
let startedPending: string | null = null;
const sayStarted = () => {
  if (startedPending === null) return;
  port.postMessage({ type: 'started', id: startedPending } satisfies FromWorker);
  startedPending = null;
};
const post = (m: FromWorker) => {
  if (m.type === 'result' && startedPending !== null) {
    m.started = true;
    startedPending = null;
  } else sayStarted();
  if (logs.length > 0) {
    if (m.type === 'result') m.logs = logs;
    else port.postMessage({ type: 'log', lines: logs } satisfies FromWorker);
    logs = [];
  }
  port.postMessage(m);
};
const log = (level: LogLine[0], text: string) => {
  const now = performance.now();
  if (logs.length === 0) logsSince = now;
  logs.push([level, text]);
  if (level !== 'debug' || now - logsSince > LOG_DELAY_MS) {
    sayStarted();
    port.postMessage({ type: 'log', lines: logs } satisfies FromWorker);
    logs = [];
  }
};
const cancelled = new Int32Array(input.cancelFlag);

async function main(): Promise<void> {
  let exec: WorkerExecution | undefined;
  let sync: CacheSync | undefined;
  let bridge: SyncBridge | undefined;
  // The session may arrive while the project is still loading: keep it until then.
  let sessionArrived: (m: SessionMessage) => void = () => undefined;
  const session = new Promise<SessionMessage>((resolve) => (sessionArrived = resolve));
  let lone = false;
  let parsedArrived: () => void = () => undefined;
  const parsed = new Promise<void>((resolve) => (parsedArrived = resolve));
  port.on('message', (m: ToWorker) => {
    if (m.type === 'session') return sessionArrived(m);
    if (m.type === 'parsed') return parsedArrived();
    if (m.type === 'settle') {
      try {
        exec?.session.commit();
        post({ type: 'settled' });
      } catch (e) {
        post({ type: 'settled', error: errorToWire(e) });
      }
      return;
    }
    if (m.type === 'close') {
      const closing = exec ? exec.close() : bridge ? bridge.close() : Promise.resolve();
      void closing.catch(() => undefined).finally(() => post({ type: 'closed' }));
      return;
    }
    if (!exec || !sync) {
      post({ type: 'failed', error: { code: 'INTERNAL', message: `render worker ${input.threadId} got a node before it was ready` } });
      return;
    }
    sync.apply(m.cache);
    if (m.early) {
      // Queued behind the node before: Ctrl-C since then means it was never started (skipped, as a node not yet handed out).
      if (Atomics.load(cancelled, 0) === 1) return post({ type: 'declined', id: m.id });
      startedPending = m.id;
    }
    const node = exec.node(m.id);
    if (!node) {
      post({ type: 'failed', error: { code: 'INTERNAL', message: `render worker ${input.threadId} has no node ${m.id}` } });
      return;
    }
    const r = exec.run(node, m.step);
    const failed = r.status === 'error';
    try {
      // Another thread may build on this node next: its work must be committed, not deferred to this thread's next node.
      // Alone, this thread runs every node, and no node of the run reads an `unread` one: the commit rides along with
      // the next node's first statement (as on the calling thread at threads 1), saving a round trip a node; the
      // coordinator settles the last one.
      exec.session.commit({ flushDeferred: !lone && m.unread !== true });
    } catch (e) {
      exec.session.rollbackIfOpen();
      if (!failed) Object.assign(r, { status: 'error', message: errorToWire(e).message });
    }
    const batched = exec.takeBatched().map(resultToWire);
    post({ type: 'result', result: resultToWire(r), cache: sync.take(failed), ...(batched.length > 0 ? { batched } : {}) });
  });
  try {
    const mod = (await import(input.setup.module)) as Record<string, unknown>;
    const setup = mod[input.setup.export] as Setup;
    const prepared = await setup(input.setup.args, input.threadId, log, parsed);
    const given = await session;
    bridge = SyncBridge.attach(given.session, { cancelFlag: input.cancelFlag, beforeRequest: sayStarted });
    exec = prepared.connect(bridge, given.selected);
    lone = given.lone;
    sync = new CacheSync(exec.session.cache, exec.session.info);
  } catch (e) {
    post({ type: 'failed', error: errorToWire(e) });
    return;
  }
  post({ type: 'ready' });
}

void main();
