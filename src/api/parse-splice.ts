import { randomUUID } from 'node:crypto';
import { close, fstatSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { MacroFile } from '../context/macro-registry.js';
import type { CompiledNode, Manifest } from '../manifest/types.js';
import { writtenNode } from '../manifest/written-node.js';
import { emptyRegistry, parseContexts, type NodeFileRecord } from '../project/parse.js';
import { reparseChangedNodeFiles, type CachedParse } from '../project/partial-parse.js';
import { ParseObserver } from '../project/partial-parse-reads.js';
import type { ParseReads } from '../project/partial-parse-reads.js';
import { copyWithEditsAtomic, startPiecesWrite, writeChunksAtomic, type FilePiece } from '../util/atomic-write.js';
import { fastPaths } from '../util/fast-paths.js';
import type { LoadedProject } from './load-project.js';
import { readAt } from '../util/file-bytes.js';
import { editCacheInPlace } from './parse-cache-edit.js';
import { bodyPadding, checkAfterSplice, paddedHeader, recordingEnv, refLocationsOf, type OpenParseCache, type ParseCacheCheck, type ParseCacheHeader } from './parse-cache.js';
import { parseInput } from './parse-phase.js';
import { recordQuickStart, rememberCacheHeader } from './quick-start-record.js';
import { patchedHeaderLine } from './cache-header-patch.js';
import { selectionIndex } from './selection-index.js';
import { manifestIdentity, NO_MANIFEST, readSpliceMap, sameIdentity, sameWrittenFile, serialiseSpliceMap, writeEditedSpliceMap, type Edit, type SplicedFile, type SpliceMap } from './splice-map.js';
import type { RefreshedParse } from './unchanged-parse.js';
import { metadataSpan, readWrittenArtifacts, recordWrittenArtifacts, type WrittenArtifacts } from './written-artifacts.js';
import { parseEnv } from './parse-env.js';
import { targetDirOf } from './target-dir.js';

/**
 * `parse` when only model, analysis or singular test files changed and each
 * still reads as the same node to everything else (same refs and sources,
 * the same parents, the same selection index row, the same warnings and
 * reads): each changed file is parsed again exactly as partial parsing does
 * (reparseChangedNodeFiles), against only the parts of the cached parse it
 * needs, read by byte offset (splice-map.ts); then manifest.json and the
 * parse cache are written as the old bytes with the changed nodes' bytes
 * put in place (and manifest.json's generated_at and invocation_id).
 * Nothing else of the ~100 MB body is parsed or serialised.
 *
 * Returns why not (logged at debug by the caller) when anything is not as
 * this needs; the caller then goes the whole way with the same check.
 * Off with TSDBT_FAST_PATHS=0.
 */
export async function spliceChangedParse(loaded: LoadedProject, flags: Record<string, unknown>, check: ParseCacheCheck): Promise<{ done: RefreshedParse } | { reason: string }> {
  const usable = spliceable(loaded, check);
  if ('reason' in usable) return usable;
  const { cache } = usable;
  const targetDir = targetDirOf(loaded);
  const record = readWrittenArtifacts(targetDir, cache.header.id);
  if (!record) return { reason: 'there is no record of what the last parse wrote from this cache' };
  // The semantic layer reads only what a splice keeps (names, relations): semantic_manifest.json stays as it is.
  if (record.semantic && !sameIdentity(record.semantic, manifestIdentity(targetDir, 'semantic_manifest.json'))) return { reason: 'semantic_manifest.json is not the file the last parse wrote' };
  const map = readSpliceMap(targetDir, cache.header.id);
  if (!map) return { reason: 'there is no splice map for this cache' };
  // A `parse` with nothing changed rewrites manifest.json's metadata in place (written-artifacts.ts: same width, same file):
  // the record follows its new mtime, the map keeps the inode and size it was written for.
  if (!sameWrittenFile(map.manifest, record.manifest) || !sameIdentity(record.manifest, manifestIdentity(targetDir))) return { reason: 'manifest.json is not the file the last parse wrote' };
  let manifest: ReturnType<typeof openReader> | undefined;
  try {
    manifest = openReader(join(targetDir, 'manifest.json'));
    return await spliceWith(loaded, flags, check, cache, map, record, targetDir, manifest);
  } catch (e) {
    return { reason: `splicing failed (${(e as Error).message.split('\n')[0]})` };
  } finally {
    // Once replaced, this is the last reference to the old manifest.json: freeing its ~100 MB on disk is left to the thread pool.
    manifest?.closeLater();
  }
}

/**
 * spliceChangedParse for a command other than `parse` (compile, run, ...):
 * the changed nodes spliced into the parse cache only (the command writes
 * its own manifest.json), and the splice map's cache half moved with them
 * (its manifest.json half dropped: that file still holds the old nodes).
 * Done, the cache is current: the caller checks it again and reads it as
 * unchanged. Otherwise why not (the caller goes on with `check`).
 */
export async function spliceChangedCache(loaded: LoadedProject, flags: Record<string, unknown>, check: ParseCacheCheck): Promise<{ done: true } | { reason: string }> {
  const usable = spliceable(loaded, check);
  if ('reason' in usable) return usable;
  const { cache } = usable;
  const targetDir = targetDirOf(loaded);
  const map = readSpliceMap(targetDir, cache.header.id);
  if (!map) return { reason: 'there is no splice map for this cache' };
  try {
    const spliced = splicedNodes(loaded, flags, check, cache, map);
    if ('reason' in spliced) return spliced;
    const { id, header, headerLine, writeCache } = splicedCache(check, cache, spliced);
    await writeCache();
    const parts = map.editedParts(spliced.bodyEdits, headerLine.length - cache.indexStart, []).filter((p) => p.file === 'body');
    writeEditedSpliceMap(targetDir, serialiseSpliceMap(id, NO_MANIFEST, parts));
    rememberCacheHeader(check.path, headerLine.subarray(0, headerLine.length - 1), header);
    recordQuickStart(loaded, check.key);
    loaded.logger.debug(`Partial parsing: ${spliced.records.length} changed file(s) parsed again and spliced into the parse cache`);
    cacheSplices++;
    return { done: true };
  } catch (e) {
    return { reason: `splicing failed (${(e as Error).message.split('\n')[0]})` };
  }
}

/**
 * `check` once the changed model, analysis or singular test SQL is spliced
 * into the cache (spliceChangedCache): the cache checked again, nothing
 * changed since (checkAfterSplice). When it cannot be spliced, `check` as it
 * was, the reason logged at debug (the caller parses as it would have).
 */
export async function checkSplicingChanges(loaded: LoadedProject, flags: Record<string, unknown>, check: ParseCacheCheck): Promise<ParseCacheCheck> {
  const spliced = await spliceChangedCache(loaded, flags, check);
  if ('reason' in spliced) {
    loaded.logger.debug(`Partial parsing: not splicing because ${spliced.reason}`);
    return check;
  }
  check.cache!.close();
  return checkAfterSplice(check);
}

/** The open cache of `check` when only files changed (and the fast paths and partial parsing are on); otherwise why it cannot be spliced. */
function spliceable(loaded: LoadedProject, check: ParseCacheCheck): { cache: OpenParseCache } | { reason: string } {
  if (!fastPaths()) return { reason: 'fast paths are off' };
  const { cache, diff } = check;
  if (!loaded.partialParse || !cache || !diff || check.reason) return { reason: 'the parse cache cannot be used' };
  if (diff.added.length || diff.deleted.length) return { reason: 'files were added or deleted' };
  if (check.changedEnv?.length) return { reason: 'env vars read at parse have changed' };
  if (diff.changed.length === 0) return { reason: 'nothing changed' };
  return { cache };
}

let cacheSplices = 0;

/** How many times spliceChangedCache spliced (tests: which way a command went). */
export function cacheSpliceCount(): number {
  return cacheSplices;
}

/** spliceChangedParse's result, the cache closed when done; otherwise the reason logged at debug (the caller goes on with `check`). */
export async function spliceOrSay(loaded: LoadedProject, flags: Record<string, unknown>, check: ParseCacheCheck): Promise<RefreshedParse | undefined> {
  const spliced = await spliceChangedParse(loaded, flags, check);
  if ('reason' in spliced) {
    loaded.logger.debug(`Partial parsing: not splicing because ${spliced.reason}`);
    return undefined;
  }
  check.cache?.close();
  return spliced.done;
}

/** What splicedNodes gives: each changed node's new JSON in manifest.json, the edits of the cache's body, the env vars the parse read. */
interface SplicedNodes {
  records: NodeFileRecord[];
  json: Map<string, Buffer>;
  bodyEdits: Edit[];
  envRead: Record<string, string | null>;
}

/**
 * The changed node files (check.diff.changed) parsed again against the few
 * cache entries they need, as partial parsing does, and each new node's
 * bytes as edits of the cache's body; or why not (anything another node
 * could see of a changed one is not as it was).
 */
function splicedNodes(loaded: LoadedProject, flags: Record<string, unknown>, check: ParseCacheCheck, cache: OpenParseCache, map: SpliceMap): SplicedNodes | { reason: string } {
  const body = new BodyReader(cache, map);
  const changed = new Set(check.diff!.changed);
  const records: NodeFileRecord[] = [];
  for (const file of changed) {
    const found = body.entries<NodeFileRecord>('parse/nodeFiles', file);
    if (found.length !== 1) return { reason: `${file} is not one model, analysis or singular test` };
    records.push(found[0]!);
  }

  // The changed nodes and their parents: all a changed file's refs and sources may resolve to.
  const nodes: Record<string, CompiledNode> = {};
  const sources: Record<string, unknown> = {};
  for (const r of records) {
    const old = body.entry<CompiledNode>('parse/manifest/nodes', r.uniqueId);
    if (!old) return { reason: `${r.file} holds no node` };
    nodes[r.uniqueId] = old;
  }
  for (const r of records) {
    for (const p of nodes[r.uniqueId]!.depends_on?.nodes ?? []) {
      if (nodes[p] || sources[p]) continue;
      const node = body.entry<CompiledNode>('parse/manifest/nodes', p);
      const source = node ? undefined : body.entry('parse/manifest/sources', p);
      if (node) nodes[p] = node;
      else if (source) sources[p] = source;
      else return { reason: `${p} is not in the parse cache` };
    }
  }
  // Refs resolve among these nodes only; the same answer as among all of them when each name is one node's.
  const names = Object.values(nodes).filter((n) => ['model', 'seed', 'snapshot'].includes(n.resource_type)).map((n) => n.name);
  if (new Set(names).size !== names.length) return { reason: 'two of the nodes a changed file refs share a name' };

  const before = new Map(records.map((r) => [r.uniqueId, { record: JSON.stringify(r), ...sharedView(nodes[r.uniqueId]!) }]));
  const wideReads = body.entry<ParseReads>('parse', 'wideReads');
  const partial: CachedParse = {
    manifest: {
      nodes,
      sources,
      docs: body.member('parse/manifest', 'docs'),
      unit_tests: body.member('parse/manifest', 'unit_tests'),
      macros: {},
      exposures: {},
      disabled: {},
      parent_map: {},
      child_map: {},
    } as unknown as Manifest,
    // Only the changed files' records: each must come out as it was (so must the parse's warnings, theirs among them).
    nodeFiles: records,
    warnings: records.flatMap((r) => r.warnings),
    warningsBefore: 0,
    wideReads,
  };

  // As parse-phase.ts's parseThroughCache and updateCachedParse: the same input, registry and contexts.
  const observer = new ParseObserver();
  const recorder = recordingEnv(parseEnv(loaded), observer.envVar);
  const input = parseInput(loaded, flags, recorder.env, observer);
  const registry = emptyRegistry(input);
  for (const f of body.member<MacroFile[]>('', 'macroFiles')) registry.addFile(f.path, f.source, f.macros);
  const contexts = parseContexts(input, registry);
  const reason = reparseChangedNodeFiles(partial, [...changed], input, contexts, registry);
  if (reason) return { reason };
  for (const r of records) {
    const now = partial.manifest.nodes[r.uniqueId]!;
    const was = before.get(r.uniqueId)!;
    const view = sharedView(now);
    if (view.calls !== was.calls) return { reason: `${r.file} changed its refs or sources` };
    if (view.parents !== was.parents) return { reason: `${r.file} changed its parents` };
    if (view.row !== was.row) return { reason: `${r.file} changed what selectors see of it` };
    if (JSON.stringify(r) !== was.record) return { reason: `${r.file} changed its warnings or what its parse read` };
  }
  if (JSON.stringify(observer.wide(wideReads)) !== JSON.stringify(wideReads ?? { macros: [], env: [] })) return { reason: 'the parse read something new outside node files' };

  // The new bytes of each changed node (and its ref locations).
  const bodyEdits: Edit[] = [];
  const json = new Map<string, Buffer>();
  for (const r of records) {
    const node = partial.manifest.nodes[r.uniqueId]!;
    const bytes = Buffer.from(JSON.stringify(node));
    // manifest.json's bytes: the same, but for a node it writes otherwise (a seed: none is spliced today).
    const written = writtenNode(node);
    json.set(r.uniqueId, written === node ? bytes : Buffer.from(JSON.stringify(written)));
    bodyEdits.push(paddedEdit('parse/manifest/nodes', body.span('parse/manifest/nodes', r.uniqueId)!, bytes));
    const refAt = refLocationsOf(node);
    const refSpan = body.span('refAt', `n:${r.uniqueId}`);
    if (!refAt !== !refSpan) return { reason: `${r.file} gained or lost ref locations` };
    if (refAt && refSpan) bodyEdits.push(paddedEdit('refAt', refSpan, Buffer.from(JSON.stringify(refAt))));
  }
  return { records, json, bodyEdits, envRead: recorder.read };
}

async function spliceWith(loaded: LoadedProject, flags: Record<string, unknown>, check: ParseCacheCheck, cache: OpenParseCache, map: SpliceMap, written: WrittenArtifacts, targetDir: string, manifestSource: ByteSource & { fd: number; size(): number; closeLater(): void }): Promise<{ done: RefreshedParse } | { reason: string }> {
  const spliced = splicedNodes(loaded, flags, check, cache, map);
  if ('reason' in spliced) return spliced;
  const { records, bodyEdits } = spliced;
  // manifest.json's edits: each node where the map says it is.
  const manifestEdits: Edit[] = [];
  for (const r of records) {
    const inManifest = memberSpan(map, 'manifest', 'nodes', r.uniqueId, manifestSource);
    if (!inManifest) return { reason: `${r.uniqueId} is not in the splice map of manifest.json` };
    manifestEdits.push({ start: inManifest[0], end: inManifest[1], bytes: spliced.json.get(r.uniqueId)! });
  }
  const generatedAt = new Date().toISOString();
  const oldMeta = Buffer.from(metadataSpan(written.manifest.generatedAt, written.manifest.invocationId));
  const newMeta = Buffer.from(metadataSpan(generatedAt, loaded.invocationId));
  if (oldMeta.length !== newMeta.length) return { reason: 'the new generated_at or invocation_id has another width' };
  manifestEdits.push({ start: written.manifest.start, end: written.manifest.start + oldMeta.length, bytes: newMeta });

  // manifest.json's copy begins on the thread pool (util/atomic-write.ts startPiecesWrite: the old bytes around the edits,
  // read and written a chunk at a time; not fsync'd: any parse makes it again) while this thread writes the cache.
  const manifestPath = join(targetDir, 'manifest.json');
  if (String(manifestSource.size()) !== map.manifest.size) throw new Error('manifest.json changed meanwhile');
  const manifestWrite = startPiecesWrite(manifestPath, 'the manifest', editedPieces(manifestSource.fd, manifestSource.size(), manifestEdits), { durable: false });

  // The cache: a new header (the old line's bytes with what changed, cache-header-patch.ts), then the old index and body with the edits.
  const old = cache.header;
  const { id, header, headerLine, writeCache } = splicedCache(check, cache, spliced);

  // A failure before the rename leaves manifest.json as it was. Once the copy is written it is renamed into place on
  // the thread pool (on ext4 a rename over a file starts the new file's writeback: 10-50 ms at 90 MB) while this
  // thread writes the splice map and the quick start record. The map names manifest.json by the copy's inode, size
  // and time (which the rename keeps): whichever lands first, no command finds a map describing a manifest.json it is
  // not. The quick start record describes the cache, already in place. Should the rename fail or never happen, the
  // written-artifacts record (written after it: it names manifest.json by the renamed file) stays the old cache's,
  // and a parse with nothing changed writes manifest.json in full.
  let committed: Promise<void> | undefined;
  const giveUp = async () => {
    // abandon() only once the commit (if begun) has settled: the two must not close the copy's file at once.
    await committed?.catch(() => undefined);
    await manifestWrite.abandon();
  };
  try {
    await writeCache();
    const parts = map.editedParts(bodyEdits, headerLine.length - cache.indexStart, manifestEdits);
    rememberCacheHeader(check.path, headerLine.subarray(0, headerLine.length - 1), header);
    const st = await manifestWrite.written;
    committed = manifestWrite.commit();
    committed.catch(() => undefined);
    writeEditedSpliceMap(targetDir, serialiseSpliceMap(id, { size: String(st.size), mtimeNs: String(st.mtimeNs), ino: String(st.ino) }, parts));
    recordQuickStart(loaded, check.key);
    await committed;
  } catch (e) {
    await giveUp();
    throw e;
  }
  // The old manifest.json, replaced, is freed (~90 MB of pages) on the thread pool: closed after the rename, so that
  // the rename is not the one freeing it.
  manifestSource.closeLater();
  recordWrittenArtifacts(targetDir, id, { metadata: { generated_at: generatedAt, invocation_id: loaded.invocationId } } as Manifest, written.summary, written.semantic !== null);
  loaded.logger.debug(`Partial parsing enabled: 0 files deleted, 0 files added, ${records.length} files changed.`);
  loaded.logger.debug(`Partial parsing: ${records.length} changed file(s) parsed again and spliced into manifest.json and the parse cache`);
  return { done: { warnings: [...loaded.warnings, ...old.warnings], summary: written.summary, manifestPath, quickStartRecorded: true } };
}

/** The spliced cache's id, header and header line, and the write putting them and the body's edits in place (in place when each fits). */
function splicedCache(check: ParseCacheCheck, cache: OpenParseCache, spliced: SplicedNodes): { id: string; header: ParseCacheHeader; headerLine: Buffer; writeCache: () => Promise<void> } {
  const { bodyEdits } = spliced;
  const id = randomUUID();
  const old = cache.header;
  const header: ParseCacheHeader = { ...old, id, files: check.files, statesAt: check.statesAt, envRead: { ...old.envRead, ...spliced.envRead } };
  const headerLine = patchedHeaderLine(cache.line, old, header) ?? serialisedHeaderLine(header, cache.indexStart - 1);
  const changedMeanwhile = () => new Error('the parse cache was changed meanwhile');
  const writeCache = async () => {
    if (headerLine.length === cache.indexStart && bodyEdits.every((e) => e.bytes.length === e.end - e.start)) {
      // Every edit fits where it goes: written into the cache in place (parse-cache-edit.ts), or when another
      // parse holds it, into a copy the kernel makes.
      const ino = cache.ino();
      const edits = [{ at: 0, bytes: headerLine }, ...bodyEdits.map((e) => ({ at: e.start, bytes: e.bytes }))];
      if (await editCacheInPlace(check.path, cache, edits)) return;
      copyWithEditsAtomic(check.path, check.path, 'the parse cache', edits, () => {
        if (statSync(check.path, { bigint: true }).ino !== ino || !cache.unchanged()) throw changedMeanwhile();
      }, { durable: false });
    } else {
      const cacheSize = cache.size();
      writeChunksAtomic(check.path, 'the parse cache', (write) => {
        write(headerLine);
        copyEdited(cache, cache.indexStart, cacheSize, bodyEdits, write);
        if (!cache.unchanged()) throw changedMeanwhile();
      }, { durable: false });
    }
  };
  return { id, header, headerLine, writeCache };
}

/**
 * The edit putting `json` in place of a padded body member at `span`: the
 * same length, spaces after, when it fits; otherwise with new room after it
 * (the file is then rewritten, its later bytes moved).
 */
function paddedEdit(container: string, span: [number, number], json: Buffer): Edit {
  const [start, end] = span;
  const room = json.length <= end - start ? end - start - json.length : bodyPadding(container, json.length);
  return { start, end, bytes: room === 0 ? json : Buffer.concat([json, Buffer.alloc(room, 0x20)]) };
}

/** A header line for `header` serialised (when cache-header-patch.ts cannot make it): in the old line's room when it fits, else with new room. */
function serialisedHeaderLine(header: ParseCacheHeader, oldLine: number): Buffer {
  const json = JSON.stringify(header);
  const length = Buffer.byteLength(json);
  return Buffer.from(`${length <= oldLine ? json + ' '.repeat(oldLine - length) : paddedHeader(json)}\n`);
}

/** The bytes [0, size) of open file `fd` with `edits` applied, as pieces for startPiecesWrite. */
function editedPieces(fd: number, size: number, edits: readonly Edit[]): FilePiece[] {
  const pieces: FilePiece[] = [];
  let at = 0;
  for (const e of [...edits].sort((x, y) => x.start - y.start)) {
    if (e.start < at || e.end > size) throw new Error('overlapping edits');
    if (e.start > at) pieces.push({ fd, at, length: e.start - at });
    pieces.push(e.bytes);
    at = e.end;
  }
  if (size > at) pieces.push({ fd, at, length: size - at });
  return pieces;
}

/** What others see of a node, as strings to compare: its ref and source calls, its parents, its selection index row. */
function sharedView(n: CompiledNode): { calls: string; parents: string; row: string } {
  const { refs, sources } = n as { refs?: unknown; sources?: unknown };
  const m = { metadata: { project_name: '' }, nodes: { [n.unique_id]: n } } as unknown as Manifest;
  return {
    calls: JSON.stringify([refs, sources]),
    parents: JSON.stringify([...(n.depends_on?.nodes ?? [])].sort()),
    row: JSON.stringify(selectionIndex(m)),
  };
}

/** Reads single members of the cache body by the splice map's spans. */
class BodyReader {
  constructor(private readonly cache: OpenParseCache, private readonly map: SpliceMap) {}

  /** A member of a container the map records whole ('' the body, 'parse', 'parse/manifest'). */
  member<T>(container: string, key: string): T {
    const [found] = this.entries<T>(container, key);
    if (found === undefined) throw new Error(`no ${container}/${key} in the splice map`);
    return found;
  }

  /** An entry of a large container (nodes, sources), or undefined. */
  entry<T>(container: string, key: string): T | undefined {
    return this.entries<T>(container, key)[0];
  }

  /** Every entry under `key` (elements of an array may share one). */
  entries<T>(container: string, key: string): T[] {
    if (container !== 'parse/nodeFiles') {
      const span = this.span(container, key);
      return span ? [this.parse<T>(span)] : [];
    }
    // A node file record holds its file: the map's candidates are proved by it.
    return this.map.spans('body', container, key).map((span) => this.parse<T>(span)).filter((r) => (r as { file?: unknown }).file === key);
  }

  /** The span of object member `key` of `container` (memberSpan). */
  span(container: string, key: string): [number, number] | undefined {
    return memberSpan(this.map, 'body', container, key, this.cache);
  }

  private parse<T>([start, end]: [number, number]): T {
    return JSON.parse(this.cache.bytes(start, end - start).toString('utf8')) as T;
  }
}

interface ByteSource {
  bytes(at: number, length: number, into?: Buffer): Buffer;
}

/**
 * The span of object member `key` of `container` in `source`: of the map's
 * candidates (SpliceMap.spans), the one `"key":` ends before. Throws when
 * there are candidates and none is (the map does not describe the file).
 */
function memberSpan(map: SpliceMap, file: SplicedFile, container: string, key: string, source: ByteSource): [number, number] | undefined {
  const candidates = map.spans(file, container, key);
  if (candidates.length === 0) return undefined;
  const want = Buffer.from(`${JSON.stringify(key)}:`);
  const found = candidates.find(([start]) => start >= want.length && source.bytes(start - want.length, want.length).equals(want));
  if (!found) throw new Error(`${key} is not where the splice map says`);
  return found;
}

/** 1 MB: an 8 MB buffer cost twice the CPU (the write's copy out of it misses the caches). */
const COPY_CHUNK = 1 << 20;

/** The bytes [from, to) of `source` with `edits` applied, written in chunks. */
function copyEdited(source: ByteSource, from: number, to: number, edits: readonly Edit[], write: (bytes: Uint8Array) => void): void {
  const buffer = Buffer.allocUnsafe(COPY_CHUNK);
  const copy = (a: number, b: number) => {
    for (let at = a; at < b; at += COPY_CHUNK) {
      const n = Math.min(COPY_CHUNK, b - at);
      write(source.bytes(at, n, buffer).subarray(0, n));
    }
  };
  let at = from;
  for (const e of [...edits].sort((x, y) => x.start - y.start)) {
    if (e.start < at || e.end > to) throw new Error('overlapping edits');
    copy(at, e.start);
    write(e.bytes);
    at = e.end;
  }
  copy(at, to);
}

/** A plain file read by offset, as OpenParseCache reads the cache; closed on the thread pool. */
function openReader(path: string): ByteSource & { fd: number; size(): number; closeLater(): void } {
  const fd = openSync(path, 'r');
  let open = true;
  return {
    fd,
    bytes: (at, length, into) => readAt(fd, at, length, into),
    size: () => fstatSync(fd).size,
    // Once only: a second close could close another file given the same number meanwhile.
    closeLater: () => {
      if (open) close(fd, () => undefined);
      open = false;
    },
  };
}
