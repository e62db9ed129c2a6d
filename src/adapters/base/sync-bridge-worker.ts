/**
 * The worker side of a SyncBridge: opens the Connection named by the
 * opener, then answers requests from the port one at a time. After posting
 * each answer it flips the shared flag and notifies, which wakes the
 * rendering thread blocked in Atomics.wait.
 *
 * One worker serves several sessions: the first port may ask for another
 * (`session`), answered on its own port and flag by a sibling Connection.
 * Requests on one port are sequential (its caller blocks); different ports
 * run concurrently, since each request is awaited independently here.
 *
 * Loaded by the bootstrap in sync-bridge-bootstrap.ts; not imported by the
 * main thread.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import type { Connection } from './connection.js';
import { writeCarried, type CarriedAck } from '../../util/carried-writes.js';
import { ANSWERED, type BridgeRequest, type BridgeResponse, type ConnectionOpener } from './sync-bridge-protocol.js';

interface WorkerInput {
  /** Absent in a worker started early (see EarlyConnectionWorker): the first message on `port` brings it. */
  opener?: ConnectionOpener;
  port: MessagePort;
  flag: SharedArrayBuffer;
  /** A worker started early: a module to load while it waits for its opener (the embedded database's). */
  preload?: string;
}

interface Session {
  port: MessagePort;
  flag: Int32Array;
  connection?: Connection;
  /** The statement running on this session (a new object each time), while one runs. */
  running?: object;
}

/**
 * An interrupt that reaches the database before it has started the statement
 * is lost (DuckDB clears it when a query begins), so cancelAll repeats it, every
 * this many milliseconds, until each statement that was running has ended.
 */
const CANCEL_REPEAT_MS = 100;

const input = workerData as WorkerInput;
const sessions = new Set<Session>();

function answer(session: Session, response: BridgeResponse): void {
  session.port.postMessage(response);
  Atomics.store(session.flag, 0, ANSWERED);
  Atomics.notify(session.flag, 0);
}

function errorOf(e: unknown): BridgeResponse {
  const err = e as { message?: unknown; code?: unknown; name?: unknown };
  const code = typeof err?.code === 'string' ? err.code : undefined;
  return { ok: false, error: { message: typeof err?.message === 'string' ? err.message : String(e), code } };
}

async function openFirst(): Promise<Connection> {
  const opener = input.opener!;
  const mod = (await import(opener.module)) as Record<string, unknown>;
  const open = mod[opener.export];
  if (typeof open !== 'function') throw new Error(`${opener.module} has no export '${opener.export}'`);
  return (await (open as (a: unknown) => Promise<Connection>)(opener.args)) as Connection;
}

/** A worker started before its opener was known: the first message on its port (`open`), its module preloaded meanwhile. */
async function openerArrives(): Promise<void> {
  if (input.opener) return;
  const preloading = input.preload ? import(input.preload).catch(() => undefined) : undefined;
  const first = await new Promise<BridgeRequest>((resolve) => input.port.once('message', resolve));
  if (first.op !== 'open') throw new Error(`the connection worker was sent '${first.op}' before its opener`);
  input.opener = first.opener;
  await preloading;
}

async function main(): Promise<void> {
  const primary: Session = { port: input.port, flag: new Int32Array(input.flag) };
  let connection: Connection;
  try {
    await openerArrives();
    connection = await openFirst();
  } catch (e) {
    // The first message the main thread reads is the open's outcome.
    answer(primary, errorOf(e));
    return;
  }
  primary.connection = connection;
  sessions.add(primary);
  answer(primary, { ok: true, value: null });
  primary.port.on('message', (req: BridgeRequest) => {
    void handle(primary, req, true);
  });
}

/** A sibling of the first connection: the driver's own (same DuckDB instance), or the opener run again (another login). */
async function openSibling(port: MessagePort, flag: SharedArrayBuffer, first: Connection): Promise<void> {
  const session: Session = { port, flag: new Int32Array(flag) };
  try {
    session.connection = first.sibling ? await first.sibling() : await openFirst();
  } catch (e) {
    answer(session, errorOf(e));
    port.close();
    return;
  }
  sessions.add(session);
  answer(session, { ok: true, value: null });
  port.on('message', (req: BridgeRequest) => {
    void handle(session, req, false);
  });
}

/** Interrupt the statement running on `session` now, and again until it has ended (not a later one). */
async function cancelUntilEnded(session: Session): Promise<void> {
  const statement = session.running;
  await session.connection!.cancel().catch(() => undefined);
  if (!statement) return;
  const repeat = setInterval(() => {
    if (session.running !== statement) return clearInterval(repeat);
    void session.connection!.cancel().catch(() => undefined);
  }, CANCEL_REPEAT_MS);
}

async function handle(session: Session, req: BridgeRequest, isPrimary: boolean): Promise<void> {
  const connection = session.connection!;
  // Files carried with a request are written while its statement runs (before anything else sends one).
  let carried: CarriedAck | undefined;
  const carry = 'carry' in req && req.carry ? req.carry : undefined;
  try {
    switch (req.op) {
      case 'execute': {
        const statement = {};
        session.running = statement;
        try {
          const running = connection.execute(req.sql, req.binds);
          if (carry) {
            // Observed at once: the writes must not leave a failed statement's rejection unhandled meanwhile.
            running.catch(() => undefined);
            carried = writeCarried(carry);
          }
          const value = await running;
          answer(session, { ok: true, value, ...(carried ? { carried } : {}) });
        } finally {
          if (session.running === statement) session.running = undefined;
        }
        return;
      }
      case 'begin':
        if (carry) carried = writeCarried(carry);
        await connection.begin();
        break;
      case 'commit':
        if (carry) carried = writeCarried(carry);
        await connection.commit();
        break;
      case 'rollback':
        if (carry) carried = writeCarried(carry);
        await connection.rollback();
        break;
      case 'session':
        // Answered on the new port; the first port gets its own answer once the sibling is open.
        if (!isPrimary) throw new Error('only the first session can open another');
        await openSibling(req.port, req.flag, connection);
        break;
      case 'cancelAll':
        await Promise.all([...sessions].map((s) => cancelUntilEnded(s)));
        break;
      case 'close':
        sessions.delete(session);
        // Siblings go first: closing the first connection may release what they share (DuckDB: the instance).
        if (isPrimary) {
          for (const s of [...sessions]) {
            sessions.delete(s);
            await s.connection!.close().catch(() => undefined);
            s.port.close();
          }
        }
        await connection.close();
        answer(session, { ok: true, value: null });
        session.port.close();
        return;
      case 'ping':
        if (carry) carried = writeCarried(carry);
        break;
      case 'open':
        throw new Error('the connection is open already');
    }
    answer(session, { ok: true, value: null, ...(carried ? { carried } : {}) });
  } catch (e) {
    // Carried files are written (or tried) whatever the request did; one that failed before writing them still owes them.
    if (carry && !carried) carried = writeCarried(carry);
    answer(session, { ...errorOf(e), ...(carried ? { carried } : {}) });
  }
}

void main();
