import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync, writeSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../manifest/types.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/**
 * `target/partial_parse.written.json`: what `parse` last wrote from a parse
 * cache (by the cache's id): manifest.json's identity (size, modification
 * time, inode) and where its generated_at and invocation_id sit, the same
 * for semantic_manifest.json, and that the graph had no cycle. While the
 * cache still holds and the files are still the ones recorded, `parse`
 * only rewrites those two fixed-width values in place (refreshArtifacts)
 * instead of reading the cache's body and writing ~100 MB again.
 */
export const WRITTEN_ARTIFACTS_FILE = 'partial_parse.written.json';

interface FileIdentity {
  size: string;
  mtimeNs: string;
  ino: string;
}

export interface WrittenArtifacts {
  /** The parse cache's id the manifest came from. */
  cache: string;
  /** dbt's "Found ..." line of that manifest. */
  summary: string;
  manifest: FileIdentity & {
    /** Byte range of `"generated_at":"…","invocation_id":"…"` (inside the first 512-byte sector). */
    start: number;
    generatedAt: string;
    invocationId: string;
  };
  /** Null when parse wrote none (no semantic layer). */
  semantic: FileIdentity | null;
}

/** A write within one 512-byte sector is all-or-nothing on a crash or power loss; the refreshed span must sit inside the first. */
const SECTOR = 512;

/** manifest.json's metadata members this record locates (parse-splice.ts replaces them too). */
export const metadataSpan = (generatedAt: string, invocationId: string) => `"generated_at":${JSON.stringify(generatedAt)},"invocation_id":${JSON.stringify(invocationId)}`;

function identity(st: BigIntStats): FileIdentity {
  return { size: String(st.size), mtimeNs: String(st.mtimeNs), ino: String(st.ino) };
}

function sameFile(path: string, id: FileIdentity): boolean {
  try {
    const st = statSync(path, { bigint: true });
    return String(st.size) === id.size && String(st.mtimeNs) === id.mtimeNs && String(st.ino) === id.ino;
  } catch {
    return false;
  }
}

/**
 * Record the manifest.json (and semantic_manifest.json) just written in
 * `targetDir` from `manifest`, itself the parse of cache `cacheId`. Records
 * nothing (and removes an older record) when the metadata does not sit
 * where it can be rewritten in place.
 */
export function recordWrittenArtifacts(targetDir: string, cacheId: string, manifest: Manifest, summary: string, wroteSemantic: boolean): void {
  const recordPath = join(targetDir, WRITTEN_ARTIFACTS_FILE);
  try {
    const path = join(targetDir, 'manifest.json');
    const fd = openSync(path, 'r');
    let head: Buffer;
    let st: BigIntStats;
    try {
      head = Buffer.alloc(SECTOR);
      head = head.subarray(0, readSync(fd, head, 0, SECTOR, 0));
      st = fstatSync(fd, { bigint: true });
    } finally {
      closeSync(fd);
    }
    const { generated_at: generatedAt, invocation_id: invocationId } = manifest.metadata;
    const text = head.toString('latin1');
    const span = metadataSpan(generatedAt, invocationId);
    const start = text.indexOf(span);
    // The span must be metadata's own members: the file opens `{"metadata":{` and nothing before the span opens or closes an object.
    const prefixOk = text.startsWith('{"metadata":{') && start > 0 && !/[{}]/.test(text.slice('{"metadata":{'.length, start));
    if (!prefixOk || start + span.length > SECTOR || Buffer.byteLength(span) !== span.length) {
      writeRecord(recordPath, null);
      return;
    }
    const semantic = wroteSemantic ? identity(statSync(join(targetDir, 'semantic_manifest.json'), { bigint: true })) : null;
    writeRecord(recordPath, { cache: cacheId, summary, manifest: { ...identity(st), start, generatedAt, invocationId }, semantic });
  } catch {
    writeRecord(recordPath, null);
  }
}

/** The record, if there is one and it was written for cache `cacheId`. */
export function readWrittenArtifacts(targetDir: string, cacheId: string): WrittenArtifacts | undefined {
  try {
    const r = JSON.parse(readFileSync(join(targetDir, WRITTEN_ARTIFACTS_FILE), 'utf8')) as WrittenArtifacts;
    return r && r.cache === cacheId && r.manifest && typeof r.manifest.start === 'number' ? r : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Bring the recorded artifacts up to date for a new invocation when the
 * parse they came from still holds: manifest.json gets the new generated_at
 * and invocation_id written over the old ones (same width, one write inside
 * the first sector, so a crash leaves the old values or the new, never a
 * broken file; not fsync'd, as no regenerable file is: should the record
 * outlive the write in a power cut, the bytes read back here, or the
 * file's time, differ from it, and the next parse writes in full),
 * semantic_manifest.json (which has neither) is left as it is. Returns
 * false, changing nothing, when either file is not the one recorded
 * (deleted, edited, rewritten by another command).
 */
export function refreshArtifacts(targetDir: string, record: WrittenArtifacts, generatedAt: string, invocationId: string): boolean {
  const path = join(targetDir, 'manifest.json');
  const m = record.manifest;
  if (!sameFile(path, m)) return false;
  if (record.semantic && !sameFile(join(targetDir, 'semantic_manifest.json'), record.semantic)) return false;
  const before = Buffer.from(metadataSpan(m.generatedAt, m.invocationId), 'latin1');
  const after = Buffer.from(metadataSpan(generatedAt, invocationId), 'utf8');
  if (after.length !== before.length) return false;
  let st: BigIntStats;
  try {
    const fd = openSync(path, 'r+');
    try {
      const now = Buffer.alloc(before.length);
      if (readSync(fd, now, 0, now.length, m.start) !== now.length || !now.equals(before)) return false;
      if (writeSync(fd, after, 0, after.length, m.start) !== after.length) throw new Error('short write');
      st = fstatSync(fd, { bigint: true });
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
  writeRecord(join(targetDir, WRITTEN_ARTIFACTS_FILE), { ...record, manifest: { ...m, ...identity(st), generatedAt, invocationId } });
  return true;
}

/**
 * readWrittenArtifacts, then refreshArtifacts: the record for parse cache
 * `cacheId` when manifest.json was brought up to date in place with it;
 * undefined, nothing changed, when there is no such record or the files are
 * not the ones it names (the caller writes them in full).
 */
export function refreshWrittenArtifacts(targetDir: string, cacheId: string | undefined, generatedAt: string, invocationId: string): WrittenArtifacts | undefined {
  return writtenArtifactsFor(true, targetDir, cacheId, generatedAt, invocationId);
}

/**
 * refreshWrittenArtifacts when the command writes its JSON artifacts; with
 * --no-write-json (`writeJson` false) the record of cache `cacheId` alone,
 * nothing read but it or written (its summary is that parse's whatever
 * became of manifest.json since).
 */
export function writtenArtifactsFor(writeJson: boolean, targetDir: string, cacheId: string | undefined, generatedAt: string, invocationId: string): WrittenArtifacts | undefined {
  const record = cacheId === undefined ? undefined : readWrittenArtifacts(targetDir, cacheId);
  if (!record || !writeJson) return record;
  return refreshArtifacts(targetDir, record, generatedAt, invocationId) ? record : undefined;
}

/** Write (or with null remove) the record; a record that cannot be written is no record (the next parse writes in full). */
function writeRecord(path: string, record: WrittenArtifacts | null): void {
  try {
    if (record === null) writeFileAtomic(path, '{}', 'the written-artifacts record', { durable: false });
    else writeFileAtomic(path, JSON.stringify(record), 'the written-artifacts record', { durable: false });
  } catch {
    // Nothing to do: a missing or stale record only means a full write next time.
  }
}
