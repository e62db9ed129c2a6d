import { runCli } from './main.js';

/** What `invoke` returns, as dbt's `dbtRunnerResult`: success, the command's result object, and what it printed. */
export interface InvokeResult<R = unknown> {
  success: boolean;
  /** The CLI's exit code: 0 success, 1 a node or test failed, 2 the invocation failed. */
  exitCode: number;
  /** run/build/test/seed/snapshot/retry: the CommandResult; parse: the Manifest; ls: the lines; compile, show, run-operation: their results. */
  result: R | undefined;
  stdout: string;
  stderr: string;
}

export interface InvokeOptions {
  /** Environment variables the command sees (default: this process's). */
  env?: Record<string, string | undefined>;
  /** The working directory (default: this process's). */
  cwd?: string;
}

/**
 * Run a tsdbt command as the CLI would, from Node, without a child process:
 * `await invoke(['build', '--select', 'orders+'])`. Mirrors dbt's
 * `dbtRunner().invoke(args)`. Never exits the process.
 */
export async function invoke<R = unknown>(args: readonly string[], opts: InvokeOptions = {}): Promise<InvokeResult<R>> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let result: R | undefined;
  const exitCode = await runCli(args, { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) }, opts.env ?? process.env, opts.cwd ?? process.cwd(), (r) => {
    result = r as R;
  });
  return { success: exitCode === 0, exitCode, result, stdout: stdout.join(''), stderr: stderr.join('') };
}
