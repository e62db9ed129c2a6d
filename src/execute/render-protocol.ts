/**
 * Messages between the coordinator (main thread) and its render workers.
 * Everything here crosses a worker boundary by structured clone: plain data,
 * no class instances (NodeResults travel as WireResults, relations as specs).
 */
import type { DatabaseSession } from '../adapters/base/database-session.js';
import type { BridgeSessionHandle } from '../adapters/base/sync-bridge-protocol.js';
import type { SyncBridge } from '../adapters/base/sync-bridge.js';
import { TsdbtError, type ErrorCode } from '../errors/tsdbt-error.js';
import type { CompiledNode } from '../manifest/types.js';
import type { MicrobatchStep } from './microbatch-step.js';
import type { NodeResult } from './node-result.js';

/**
 * Where a render worker finds the function that prepares it to run nodes:
 * an ES module URL and the name of an export `(args, threadId, log, parsed) =>
 * Promise<PreparedWorker>` (see api/execution.ts), where `parsed` resolves
 * when the coordinator sends 'parsed'. Data, not a function, so execute/ need
 * not know how a project is loaded.
 */
export interface RenderSetup {
  module: string;
  export: string;
  args: unknown;
}

/**
 * A worker's setup in two steps: `prepare` loads and parses the project
 * (no database needed, so workers do it while the coordinator parses too),
 * then `connect` builds the runtime context on the worker's session.
 */
export interface PreparedWorker {
  connect(session: SyncBridge, selected: string[]): WorkerExecution;
}

/** What a render worker's setup returns: a runner over the manifest's nodes, on that worker's own session. */
export interface WorkerExecution {
  /** A runnable node (model, seed, snapshot, test, unit test) by unique id. */
  node(id: string): CompiledNode | undefined;
  run(node: CompiledNode, step?: MicrobatchStep): NodeResult;
  /** Data tests that ran in one query with the last node and were not asked for (several threads only; see TestBatcher). */
  takeBatched(): NodeResult[];
  /** Set entries of the coordinator's `graph` (plain data an on-run-start hook added) on this worker's. */
  shareGraph(entries: Record<string, unknown>): void;
  /** The worker's own session (its relation cache is kept in step with the other threads', see render-cache-sync.ts). */
  session: DatabaseSession;
  close(): Promise<void>;
}

export interface RelationSpecWire {
  database: string | null;
  schema: string | null;
  identifier: string | null;
  type?: string | null;
}

/** A change another thread made to its relation cache, replayed on this one's. */
export type CacheEvent =
  | { op: 'add' | 'drop'; relation: RelationSpecWire }
  | { op: 'schemaCreated' | 'schemaDropped'; database: string | null; schema: string }
  | { op: 'clear' };

export interface WorkerData {
  setup: RenderSetup;
  /** Set to 1 by the coordinator on Ctrl-C: statements not yet sent fail at once. */
  cancelFlag: SharedArrayBuffer;
  threadId: string;
}

export type ToWorker =
  /**
   * The worker's database session, once the coordinator has opened it (the
   * port is transferred). `lone`: the only worker (threads 1), so no other
   * session builds on its nodes while it runs: a node's COMMIT rides along
   * with its next node's first statement, as on the calling thread; `settle`
   * sends the last one.
   */
  | { type: 'session'; session: BridgeSessionHandle; selected: string[]; lone: boolean }
  /**
   * Run a node. `early`: sent while the worker still runs the node before it
   * (threads 1), that is, while the coordinator still awaits a node of this
   * worker's (never else: a node queued behind one that never came to the
   * worker, such as an ephemeral model, goes as a node to an idle worker);
   * that node's result says whether this one starts (`next`),
   * or the worker answers `declined` (Ctrl-C came before that node ended). `unread`: no node of this
   * run reads what this one builds, so its COMMIT may ride along with the
   * worker's next statement even beside other workers (`settle` sends the
   * last one).
   */
  | { type: 'run'; id: string; cache: CacheEvent[]; early: boolean; unread?: boolean; step?: MicrobatchStep; graph?: Record<string, unknown> }
  /** Commit what the last node left to its next statement (any worker, once no node runs); answered with `settled`. */
  | { type: 'settle' }
  /**
   * The coordinator has parsed the project (its parse cache is written, or was
   * found current): a setup waiting on `parsed` (see RenderSetup) reads that
   * cache instead of parsing the project again itself.
   */
  | { type: 'parsed' }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  /** `next`: as a result's. */
  | { type: 'failed'; error: WireError; next?: true }
  /**
   * `logs`: what the node logged and was not sent yet (see 'log'). `batched`: the results of the data tests
   * that ran in one query with this one, for when the queue hands them out (see RenderPool.take). `next`: the
   * node queued behind this one (`early`), if any, starts now (the worker ran it even if Ctrl-C comes after this
   * message); without it the worker declines that node.
   */
  | { type: 'result'; result: WireResult; cache: CacheEvent[]; logs?: LogLine[]; batched?: WireResult[]; next?: true }
  | { type: 'declined'; id: string }
  | { type: 'settled'; error?: WireError }
  /** Lines logged, in order: gathered while a node runs (one per statement) and sent with its result, or after LOG_DELAY_MS. */
  | { type: 'log'; lines: LogLine[] }
  | { type: 'closed' };

/** A line's level: 'jinja' is a template's log(msg, info=True) (Logger.jinjaInfo), 'print' its print(msg) (Logger.printed). */
export type LogLevelName = 'info' | 'debug' | 'warn' | 'jinja' | 'print';
export type LogLine = [LogLevelName, string];

/** A render worker holds its log lines at most this long (ms) before sending them on their own. */
export const LOG_DELAY_MS = 50;

export interface WireError {
  code: ErrorCode;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  hint?: string;
  detail?: Record<string, unknown>;
}

/** A NodeResult without its node (the coordinator has it) and with its error as data. */
export type WireResult = Omit<NodeResult, 'node' | 'error'> & { error?: WireError; node_compiled?: { code?: string; path?: string } };

export function errorToWire(e: unknown): WireError {
  if (e instanceof TsdbtError) return { code: e.code, message: e.message, file: e.file, line: e.line, column: e.column, hint: e.hint, detail: plain(e.detail) };
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

export function errorFromWire(w: WireError): TsdbtError {
  return new TsdbtError(w.code, w.message, { file: w.file, line: w.line, column: w.column, hint: w.hint, detail: w.detail });
}

export function resultToWire(r: NodeResult): WireResult {
  const { node, error, ...rest } = r;
  return {
    ...rest,
    adapter_response: plain(rest.adapter_response) ?? {},
    error: error ? errorToWire(error) : undefined,
    node_compiled: { code: node.compiled_code, path: node.compiled_path ?? undefined },
  };
}

/** The coordinator's NodeResult for a worker's: its own node object, with the compiled fields the worker filled. */
export function resultFromWire(w: WireResult, node: CompiledNode): NodeResult {
  const { error, node_compiled, ...rest } = w;
  if (node_compiled?.code !== undefined) node.compiled_code = node_compiled.code;
  if (node_compiled?.path !== undefined) node.compiled_path = node_compiled.path;
  const out: NodeResult = { ...rest, node };
  if (error) out.error = errorFromWire(error);
  return out;
}

/** Detail maps may hold anything a thrower put there; only JSON-able data crosses. */
function plain<T>(value: T): T {
  if (value === undefined) return value;
  try {
    structuredClone(value);
    return value;
  } catch {
    return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as T;
  }
}
