import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { hashText, type ReadState } from './file-states.js';

/** One buffer for every file that fits in it (per thread: each worker has its own module instance). */
const buffer = Buffer.allocUnsafe(1 << 16);

/**
 * readFileSync(path, 'utf8'), through one reused buffer: a file that fits
 * takes an open, a read and a close (10,000 model files read a quarter
 * faster); a larger one is read whole. Throws as readFileSync does.
 */
export function readText(path: string): string {
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
  return n < buffer.length ? buffer.toString('utf8', 0, n) : readFileSync(path, 'utf8');
}

/**
 * readText's text and, for a regular file, its state from the same open file
 * (its stat, the hash of the very bytes decoded): a cold parse's file table
 * takes the model files' rows from the parse's own reads instead of reading
 * and hashing each file a second time. Throws as readText does.
 */
export function readTextWithState(path: string): { text: string; state?: ReadState } {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    // Larger than the buffer: the whole file from the same descriptor (still at offset 0: the read above was positional).
    const bytes = n < buffer.length ? buffer.subarray(0, n) : readFileSync(fd);
    const text = bytes.toString('utf8');
    return st.isFile() ? { text, state: { size: st.size, mtimeMs: st.mtimeMs, hash: hashText(bytes) } } : { text };
  } finally {
    closeSync(fd);
  }
}
