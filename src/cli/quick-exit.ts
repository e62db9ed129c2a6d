import { parseArgv } from './argv.js';

/**
 * Commands whose process bin/tsdbt.js ends with process.exit() once its
 * event loop is empty ('beforeExit'), instead of letting Node end it: a
 * natural exit tears the V8 heap down page by page (one munmap per 256 KB
 * page, each a TLB flush on every core the process's threads ran on),
 * process.exit() leaves that to the kernel's exit. After a 10,000-model parse
 * (~200 MB of heap) that teardown took 0.1-0.25 s of wall (bench/RESULTS.md).
 * By the time the loop is empty every write is done (stdout and stderr are
 * synchronous on Linux; log and artifact writes are awaited or keep the
 * loop alive); 'exit' listeners still run and `--cpu-prof` profiles are
 * still written. Only commands that hold no database connection or native
 * handle whose cleanup hooks a natural exit would run: parse and ls open
 * none; compile closes its execution (the DuckDB connection and instance,
 * duckdb-open.ts) in a finally before it returns. After compiling 10,000
 * models (~500 MB of heap) the teardown took ~0.3 s more than this exit
 * at load 10.
 */
const QUICK_EXIT = new Set(['parse', 'ls', 'list', 'compile']);

/** Whether `argv` runs a command bin/tsdbt.js may end at once when its work is done (false for argv that does not parse). */
export function exitsAtOnce(argv: readonly string[]): boolean {
  try {
    const { command, flags } = parseArgv(argv);
    return command !== null && QUICK_EXIT.has(command) && !flags.help && !flags.version;
  } catch {
    return false;
  }
}
