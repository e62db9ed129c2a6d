import type { OutputStreams } from './output.js';

/** The part of process.stdout/stderr the CLI writes through. */
export interface WritableLike {
  write(text: string): unknown;
  on(event: 'error', listener: (e: NodeJS.ErrnoException) => void): unknown;
  isTTY?: boolean;
}

export interface ProcessStreams {
  streams: OutputStreams & { isTTY: boolean };
  /**
   * The exit code once the command is done: as the command said, unless
   * stdout could not be written (a full disk, /dev/full, an I/O error):
   * then one line on stderr says so and a successful command exits 2, as a
   * Unix tool whose output was lost does.
   */
  finish(code: number): number;
}

/**
 * stdout and stderr for the CLI, as a well-behaved Unix tool uses them. A
 * reader that stops early (`tsdbt ls | head -1`) closes the pipe: exit at
 * once, quietly (`onPipeClosed`). Any other write error stops writing to
 * that stream, and the command still finishes its work (artifacts, relations)
 * instead of dying with a stack trace half way through a run.
 */
export function processStreams(stdout: WritableLike, stderr: WritableLike, onPipeClosed: () => void): ProcessStreams {
  const broken = new Map<WritableLike, NodeJS.ErrnoException>();
  const guard = (stream: WritableLike) => {
    const fail = (e: NodeJS.ErrnoException) => {
      if (e?.code === 'EPIPE') return onPipeClosed();
      if (!broken.has(stream)) broken.set(stream, e);
    };
    stream.on('error', fail);
    return (text: string) => {
      if (broken.has(stream)) return;
      try {
        stream.write(text);
      } catch (e) {
        fail(e as NodeJS.ErrnoException);
      }
    };
  };
  return {
    streams: { stdout: guard(stdout), stderr: guard(stderr), isTTY: Boolean(stdout.isTTY) },
    finish(code) {
      const e = broken.get(stdout);
      if (!e) return code;
      if (!broken.has(stderr)) {
        try {
          stderr.write(`tsdbt: could not write the output to stdout: ${e.message ?? String(e)}\n`);
        } catch {
          // Nowhere left to say it: the exit code does.
        }
      }
      return code === 0 ? 2 : code;
    },
  };
}
