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
import { BackgroundWriter } from '../compile/background-writer.js';
import { CacheSync } from './render-cache-sync.js';
import { errorToWire, LOG_DELAY_MS, resultToWire, type FromWorker, type LogLine, type PreparedWorker, type ToWorker, type WorkerData, type WorkerExecution } from './render-protocol.js';

type SessionMessage = Extract<ToWorker, { type: 'session' }>;
type Setup = (args: unknown, threadId: string, log: (level: LogLine[0], text: string) => void, parsed: Promise<void>) => Promise<PreparedWorker>;

const input = workerData as WorkerData;
const port = parentPort!;
// Debug lines (one per statement under --debug or a debug log file) travel with the node's result, not a message
// each; held longer than LOG_DELAY_MS (a slow statement), they go with the next line. Info and warning lines (a
// model's own log() calls) go at once. Every message sends what is held first, so the order is kept.
let logs: LogLine[] = [];
let logsSince = 0;
// A node queued behind the running one (`early`) is started or declined as the running one ends: its result says
// which (`next`), so the coordinator prints the queued node's START line then, without a message of its own. Decided
// once, at that moment: Ctrl-C after it finds the queued node running (its statements fail at once), as if it had
// started a moment earlier; Ctrl-C before it declines the queued node (skipped, as a node not yet handed out).
let startsNext = false;
const post = (m: FromWorker) => {
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
      startsNext = Atomics.load(cancelled, 0) !== 1;
      post({ type: 'failed', error: { code: 'INTERNAL', message: `render worker ${input.threadId} got a node before it was ready` }, ...(startsNext ? { next: true as const } : {}) });
      return;
    }
    sync.apply(m.cache);
    if (m.graph) exec.shareGraph(m.graph);
    // Queued behind the node before: the result of that one said whether this one starts.
    const declined = m.early && !startsNext;
    startsNext = false;
    if (declined) return post({ type: 'declined', id: m.id });
    const node = exec.node(m.id);
    if (!node) {
      startsNext = Atomics.load(cancelled, 0) !== 1;
      post({ type: 'failed', error: { code: 'INTERNAL', message: `render worker ${input.threadId} has no node ${m.id}` }, ...(startsNext ? { next: true as const } : {}) });
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
    startsNext = Atomics.load(cancelled, 0) !== 1;
    post({ type: 'result', result: resultToWire(r), cache: sync.take(failed), ...(batched.length > 0 ? { batched } : {}), ...(startsNext ? { next: true as const } : {}) });
  });
  try {
    const mod = (await import(input.setup.module)) as Record<string, unknown>;
    const setup = mod[input.setup.export] as Setup;
    const prepared = await setup(input.setup.args, input.threadId, log, parsed);
    const given = await session;
    // A node's compiled SQL rides with its first statement to the connection worker, which writes it while the
    // database runs that statement: no message (and wake-up) for the writer thread a node.
    const writer = BackgroundWriter.shared();
    writer?.holdForCarrier();
    bridge = SyncBridge.attach(given.session, { cancelFlag: input.cancelFlag, ...(writer ? { carry: () => writer.takeCarried(), carried: (ack) => writer.carriedDone(ack) } : {}) });
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
