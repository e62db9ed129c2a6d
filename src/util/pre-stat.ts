import type { MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import { fastPaths } from './fast-paths.js';
import { statFolders, type RootFolders, type StatRows } from './file-states.js';

/**
 * The input files stat'ed on a worker thread while the CLI loads its
 * modules (bin/tsdbt.js starts it before importing the CLI, from the folders
 * the last check left in target/: PRESTAT_HINT_FILE). A parse cache check
 * of the same folders takes these rows instead of stat'ing every file on
 * the main thread (~0.1-0.15 s at 10,000 files), as if it had stat'ed them
 * when the worker began (`at`: the states' time for the racily clean rule).
 *
 * Only a CLI process offers them, once, and they are taken only within
 * PRESTAT_FRESH_MS of that start (a command's own start: what it reads is
 * what was there when it began, as with any check).
 */
export const PRESTAT_HINT_FILE = 'partial_parse.folders.json';
export const PRESTAT_FRESH_MS = 30_000;
/** How long a taker waits for the worker before stat'ing on its own thread. */
const WAIT_MS = 5_000;

/**
 * What bin/tsdbt.js hands the CLI: the folders the worker walks (as JSON), its
 * done flag, its port and worker_threads' receiveMessageOnPort (so that a
 * command without a pre-stat never loads node:worker_threads).
 */
export interface PrestatOffer {
  folders: string;
  done: SharedArrayBuffer;
  port: MessagePort;
  receive: typeof receiveMessageOnPort;
}

/** The worker's message: the rows and when it began (`worker`: set on receipt, for the debug line). */
export interface Prestat {
  rows: StatRows;
  at: number;
  worker?: boolean;
}

let offered: PrestatOffer | undefined;
let received: Prestat | null | undefined;
/** Rows this thread stat'ed itself for the command (statHere), by their folders as JSON. */
let here: { folders: string; prestat: Prestat } | undefined;

/** True while a CLI command runs (runCli): rows stat'ed here are kept for its later takers. */
let commandOpen = false;

/** bin/tsdbt.js's worker, for takePrestat. */
export function offerPrestat(offer: PrestatOffer | undefined): void {
  offered = offer;
  received = undefined;
}

/** A CLI command begins (runCli): rows statHere takes are kept until it ends. */
export function beginCommandStats(): void {
  commandOpen = true;
}

/** The command ends: what a later command in this process reads is stat'ed afresh (the worker's rows are this command's only). */
export function endCommandStats(): void {
  commandOpen = false;
  offered = undefined;
  received = undefined;
  here = undefined;
}

/**
 * The rows of `folders` for this command: the pre-stat's, else stat'ed
 * here now and kept for the command's later takers (the quick start's stats
 * serve the cache check that follows when it does not hold). Kept only
 * within a CLI command (beginCommandStats to endCommandStats).
 */
export function statHere(folders: RootFolders): Prestat {
  const pre = takePrestat(folders);
  if (pre) return pre;
  const at = Date.now();
  const prestat = { at, rows: statFolders(folders) };
  if (fastPaths() && commandOpen) here = { folders: JSON.stringify(folders), prestat };
  return prestat;
}

/**
 * The worker's rows for exactly `folders` (parse-cache.ts parseInputFolders),
 * waiting for it when it is still walking; undefined when none was offered,
 * for other folders, too old, or the worker failed (the caller stats them
 * itself). Several takers get the same rows.
 */
export function takePrestat(folders: RootFolders): Prestat | undefined {
  if (!fastPaths()) return undefined;
  if (here && here.folders === JSON.stringify(folders) && Date.now() - here.prestat.at <= PRESTAT_FRESH_MS) return here.prestat;
  if (!offered || offered.folders !== JSON.stringify(folders)) return undefined;
  if (received === undefined) received = receive(offered);
  if (!received || Date.now() - received.at > PRESTAT_FRESH_MS) return undefined;
  return received;
}

function receive(offer: PrestatOffer): Prestat | null {
  const flag = new Int32Array(offer.done);
  try {
    if (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, WAIT_MS);
    if (Atomics.load(flag, 0) === 0) return null;
    const got = offer.receive(offer.port)?.message as Prestat | null | undefined;
    return got && isPrestat(got) ? { ...got, worker: true } : null;
  } catch {
    return null;
  } finally {
    offer.port.close();
  }
}

function isPrestat(p: Prestat): boolean {
  const r = p.rows;
  return typeof p.at === 'number' && !!r && Array.isArray(r.paths) && Array.isArray(r.size) && Array.isArray(r.mtimeMs) && r.size.length === r.paths.length && r.mtimeMs.length === r.paths.length;
}
