import { closeSync, openSync, readSync } from 'node:fs';

/** `use` of `path` opened for reading, the file closed afterwards; undefined when it cannot be opened. */
export function withOpenFile<T>(path: string, use: (fd: number) => T): T | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    return use(fd);
  } finally {
    closeSync(fd);
  }
}

/** `length` bytes of open file `fd` from `at` (into `into` when given); throws 'truncated' when the file ends first. */
export function readAt(fd: number, at: number, length: number, into?: Buffer): Buffer {
  if (length < 0) throw new Error('truncated');
  const buf = into ?? Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, at + got);
    if (n === 0) throw new Error('truncated');
    got += n;
  }
  return buf;
}

const LINE_CHUNK = 1 << 20;

/** Open file `fd`'s first line (without its newline) and where the next line starts; undefined when the file has no newline. */
export function readFirstLine(fd: number): { line: Buffer; next: number } | undefined {
  const chunks: Buffer[] = [];
  for (let at = 0; ; ) {
    const buf = Buffer.allocUnsafe(LINE_CHUNK);
    const n = readSync(fd, buf, 0, LINE_CHUNK, at);
    if (n === 0) return undefined;
    const eol = buf.subarray(0, n).indexOf(10);
    chunks.push(buf.subarray(0, eol < 0 ? n : eol));
    if (eol >= 0) return { line: Buffer.concat(chunks), next: at + eol + 1 };
    at += n;
  }
}
