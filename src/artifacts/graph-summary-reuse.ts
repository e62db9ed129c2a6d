import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';

/**
 * graph_summary.json taken over from the last command, its invocation id
 * replaced, when that command's graph was the one of the same parse cache
 * (nothing changed since: the same nodes and edges, so the same summary but
 * for the id). At 10,000 models making it again costs ~0.1 s (ordering
 * 40,000 members, 4 MB of JSON); this reads, hashes and writes 4 MB (~20 ms).
 * Which cache the file was made from, with or without test edges, is
 * recorded beside it (RECORD_FILE) with the file's size, inode and the hash
 * of its bytes after the id: a summary changed since (in place, its times
 * kept, too), or any doubt, and it is made again.
 */
const RECORD_FILE = 'partial_parse.graph.json';

/** The summary's start as graphSummaryJson writes it, up to the id's 36 characters (a UUID). */
const LEAD = '{"_invocation_id": "';
const ID_LENGTH = 36;

interface SummaryRecord {
  cache: string;
  testEdges: boolean;
  size: number;
  ino: number;
  /** sha1 of the bytes after the id. */
  hash: string;
}

const END_OF_ID = LEAD.length + ID_LENGTH;

/** The hash of the summary after its id (a summary's text is ASCII: Python's json.dumps escapes the rest). */
const hashAfterId = (summary: Buffer | string) => createHash('sha1').update(typeof summary === 'string' ? summary.slice(END_OF_ID) : summary.subarray(END_OF_ID)).digest('hex');

/** Write `path` (graph_summary.json in `targetDir`) again with `invocationId` when the record says it is `cacheId`'s; false when it does not (nothing written). */
export function reuseGraphSummary(targetDir: string, path: string, cacheId: string, withTestEdges: boolean, invocationId: string): boolean {
  if (invocationId.length !== ID_LENGTH || !/^[0-9a-f-]+$/.test(invocationId)) return false;
  try {
    const record = JSON.parse(readFileSync(join(targetDir, RECORD_FILE), 'utf8')) as SummaryRecord;
    if (record.cache !== cacheId || record.testEdges !== withTestEdges) return false;
    const st = statSync(path);
    if (st.size !== record.size || st.ino !== record.ino) return false;
    const bytes = readFileSync(path);
    if (bytes.length !== st.size || bytes.toString('latin1', 0, LEAD.length) !== LEAD || bytes[END_OF_ID] !== 0x22 || hashAfterId(bytes) !== record.hash) return false;
    bytes.write(invocationId, LEAD.length, 'latin1');
    writeFileAtomic(path, bytes, 'the graph summary', { durable: false });
    writeRecord(targetDir, path, record);
  } catch {
    return false;
  }
  return true;
}

/** Note that `path` (whose text is `text`, read when not given) was made from parse cache `cacheId`'s graph (nothing recorded when it cannot be). */
export function recordGraphSummary(targetDir: string, path: string, cacheId: string, withTestEdges: boolean, text?: string): void {
  try {
    writeRecord(targetDir, path, { cache: cacheId, testEdges: withTestEdges, hash: hashAfterId(text ?? readFileSync(path)) });
  } catch {
    // Diagnostic only: the next command makes the summary again.
  }
}

/** The record of `path` as written now (its size and inode added). */
function writeRecord(targetDir: string, path: string, record: Omit<SummaryRecord, 'size' | 'ino'>): void {
  const st = statSync(path);
  const { cache, testEdges, hash } = record;
  writeFileSync(join(targetDir, RECORD_FILE), JSON.stringify({ cache, testEdges, hash, size: st.size, ino: st.ino } satisfies SummaryRecord));
}
