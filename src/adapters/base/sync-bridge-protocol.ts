import type { MessagePort } from 'node:worker_threads';
import type { CarriedAck, CarriedWrites } from '../../util/carried-writes.js';

/**
 * The messages exchanged between the rendering thread and the connection
 * worker of a SyncBridge. Everything here crosses a MessagePort, so it must
 * survive structured clone (no functions, no class instances).
 */

/**
 * Where the worker finds the function that opens the Connection: an ES
 * module (absolute file path or file: URL) and the name of an export
 * `(args) => Promise<Connection>`. Keeping this data (not a function) is what
 * lets any adapter run behind the bridge: DuckDB, Snowflake, a test double.
 */
export interface ConnectionOpener {
  module: string;
  export: string;
  /** Passed to the opener as is: credentials, the project dir... */
  args: unknown;
}

export type BridgeRequest =
  /** The opener of a worker started before it was known (an early worker's first message; see EarlyConnectionWorker). */
  | { op: 'open'; opener: ConnectionOpener }
  /** `carry`: files the worker writes while the statement runs (see SyncBridgeOptions.carry); the answer says how that went. */
  | { op: 'execute'; sql: string; binds?: unknown[]; carry?: CarriedWrites }
  | { op: 'begin' | 'commit' | 'rollback' | 'close' | 'ping'; carry?: CarriedWrites }
  /**
   * Open another session (the first port only): a sibling Connection of the
   * first one (DuckDB: the same instance; Snowflake: another login), answered
   * on `port` with `flag`, concurrently with the other sessions. The open's
   * outcome is the first answer on that port.
   */
  | { op: 'session'; port: MessagePort; flag: SharedArrayBuffer }
  /** Cancel whatever runs on every session (Ctrl-C); answered once every cancel was sent. */
  | { op: 'cancelAll' };

/** What a thread needs to talk to one session of the connection worker; transferable to another thread. */
export interface BridgeSessionHandle {
  port: MessagePort;
  flag: SharedArrayBuffer;
}

export interface BridgeError {
  message: string;
  /** The driver's own error code or type, when it gives one. */
  code?: string;
}

/** `carried`: the outcome of the request's carried writes, when it had some. */
export type BridgeResponse = ({ ok: true; value: unknown } | { ok: false; error: BridgeError }) & { carried?: CarriedAck };

/** Slot 0 of the shared Int32Array: 0 while a request is pending, 1 once the worker has posted the answer. */
export const PENDING = 0;
export const ANSWERED = 1;
