import { statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { JinjaEnvironment } from '../jinja/index.js';
import type { CompiledNode } from '../manifest/types.js';
import { fastPaths } from '../util/fast-paths.js';
import { findFiles, toPosix, type FoundFile } from '../util/files.js';
import { PrefetchedTexts } from '../util/prefetched-texts.js';
import { pyStrip } from '../util/py-strip.js';
import { readText, readTextWithState } from '../util/read-text.js';
import type { ReadState } from '../util/file-states.js';
import { blocksOrError } from './macro-files.js';
import { blankNode, checksumOf } from './node-defaults.js';
import type { ProjectConfig } from './project-config.js';
import { framedList } from '../util/exact-list.js';

/** SQL-bearing nodes of one package, read from disk but not yet rendered. */
export interface NodeFile {
  node: CompiledNode;
  /** The file's full text as on disk, for line lookups (for a snapshot, the file holding its block). */
  fileText: string;
  /** Line in the file where raw_code starts (snapshots: the block's first body line). */
  lineOffset: number;
  /** Which dbt_project.yml tree configures it. */
  configTree: 'models' | 'seeds' | 'snapshots' | 'data_tests' | 'analyses';
  /** The root folder of its package (the node itself does not carry it; a seed's root_path is v12's own). */
  root: string;
}

const stem = (file: FoundFile) => basename(file.relativeToFolder).replace(/\.(sql|csv|py)$/, '');
const dirsOf = (file: FoundFile) => file.relativeToFolder.split('/').slice(0, -1);

function nodeFromFile(pkg: ProjectConfig, file: FoundFile, resourceType: CompiledNode['resource_type'], raw: string, name = stem(file)): CompiledNode {
  return blankNode({
    unique_id: `${resourceType}.${pkg.name}.${name}`,
    resource_type: resourceType,
    package_name: pkg.name,
    name,
    path: file.relativeToFolder,
    original_file_path: file.relativeToRoot,
    fqn: framedList(pkg.name, dirsOf(file), name),
    raw_code: raw,
  });
}

/** dbt hashes a seed's contents up to 1 MiB; a larger seed's checksum is its path. */
const MAXIMUM_SEED_SIZE = 1024 * 1024;

/**
 * Models, analyses, singular tests, snapshots and seeds of a package. Each
 * file is read as dbt reads it, stripped of leading and trailing whitespace:
 * raw_code and the checksum (sha256 of the stripped file) come from that text.
 */
const read = (f: FoundFile, prefetched?: PrefetchedTexts, states?: Map<string, ReadState>) => {
  let onDisk: string;
  if (states) {
    // Its state recorded from this very read (FileStates below).
    const got = prefetched?.takeWithState(f.absolute) ?? readTextWithState(f.absolute);
    onDisk = got.text;
    if (got.state) states.set(f.absolute, got.state);
  } else onDisk = prefetched?.take(f.absolute) ?? readText(f.absolute);
  const { text, leadingLines } = pyStrip(onDisk);
  return { onDisk, text, leadingLines };
};


/** The one-node-per-file kinds: where their files live and what each becomes. */
interface SqlKind {
  configTree: NodeFile['configTree'];
  /** The file endings it reads: models are SQL or Python (dbt 1.3). */
  extensions: readonly string[];
  folders: (pkg: ProjectConfig) => readonly string[];
}
const SQL_KINDS: SqlKind[] = [
  { configTree: 'models', folders: (p) => p.modelPaths, extensions: ['.sql', '.py'] },
  { configTree: 'analyses', folders: (p) => p.analysisPaths, extensions: ['.sql'] },
  { configTree: 'data_tests', folders: (p) => p.testPaths, extensions: ['.sql'] },
];

/** Whether `f`, listed in one of `kind`'s folders, is a node's file (a singular test's folder also holds generic tests and fixtures). */
function isNodeFile(f: FoundFile, kind: SqlKind): boolean {
  if (kind.configTree !== 'data_tests') return true;
  const top = f.relativeToFolder.split('/')[0];
  return top !== 'generic' && top !== 'fixtures'; // generic test blocks are macros; fixtures are unit-test inputs
}

function sqlNodeFile(pkg: ProjectConfig, f: FoundFile, kind: SqlKind, prefetched?: PrefetchedTexts, states?: Map<string, ReadState>): NodeFile | undefined {
  if (!isNodeFile(f, kind)) return undefined;
  const { onDisk, text, leadingLines } = read(f, prefetched, states);
  const node = nodeFromFile(pkg, f, kind.configTree === 'models' ? 'model' : kind.configTree === 'analyses' ? 'analysis' : 'test', text);
  // dbt 1.10 (AnalysisParser): an analysis's path and fqn carry an `analysis` segment.
  if (kind.configTree === 'analyses') {
    node.fqn = [pkg.name, 'analysis', ...dirsOf(f), node.name];
    node.path = `analysis/${node.path}`;
  }
  if (f.absolute.endsWith('.py')) node.language = 'python';
  return { node, fileText: onDisk, lineOffset: leadingLines, configTree: kind.configTree, root: pkg.root };
}

/**
 * The node of one model, analysis or singular test file (what a partial parse
 * re-reads), or undefined when `absolute` is none of those in `pkg`.
 */
export function readSqlNodeFile(pkg: ProjectConfig, absolute: string): NodeFile | undefined {
  if (!absolute.endsWith('.sql') && !absolute.endsWith('.py')) return undefined;
  // The first kind whose folder holds the file, as findFiles would list it.
  for (const kind of SQL_KINDS) {
    if (!kind.extensions.some((e) => absolute.endsWith(e))) continue;
    for (const folder of kind.folders(pkg)) {
      const base = join(pkg.root, folder);
      if (!absolute.startsWith(base + sep)) continue;
      const f: FoundFile = { absolute, relativeToRoot: toPosix(relative(pkg.root, absolute)), relativeToFolder: toPosix(relative(base, absolute)), folder: toPosix(folder).replace(/\/+$/, '') };
      return sqlNodeFile(pkg, f, kind);
    }
  }
  return undefined;
}

/** The SQL files readNodeFiles reads in one package: each kind's, then the snapshots'. */
interface ListedSqlFiles {
  byKind: { kind: SqlKind; files: FoundFile[] }[];
  snapshots: FoundFile[];
}

function listSqlFiles(pkg: ProjectConfig): ListedSqlFiles {
  return {
    byKind: SQL_KINDS.map((kind) => ({ kind, files: findFiles(pkg.root, kind.folders(pkg), kind.extensions).filter((f) => isNodeFile(f, kind)) })),
    snapshots: findFiles(pkg.root, pkg.snapshotPaths, ['.sql']),
  };
}

/** Packages' SQL files listed, and (in a large project) read on a worker thread meanwhile: see prefetchNodeFiles. */
export interface NodeFilesPrefetch {
  listed: Map<ProjectConfig, ListedSqlFiles>;
  /** The packages readNodeFiles has yet to read. */
  unread: Set<ProjectConfig>;
  texts?: PrefetchedTexts;
  /** Given: the state of each file read (model, analysis, singular test and snapshot files), by absolute path, from the read itself. */
  states?: Map<string, ReadState>;
}

/**
 * Below this many files the worker's start-up (~0.1 s of CPU, on another
 * core) costs more than the reads it takes off this thread (10-40 µs each):
 * the Tuva Project's ~800 files are read here.
 */
let prefetchAtLeast = 2000;

/** The number of SQL node files from which they are read on a worker thread (that worker then has the spare core). */
export const prefetchThreshold = (): number => prefetchAtLeast;

/** For tests: the number of files from which they are read on a worker; returns the previous one. */
export function setPrefetchAtLeastForTests(files: number): number {
  const was = prefetchAtLeast;
  prefetchAtLeast = files;
  return was;
}

/**
 * Lists the packages' model, analysis, singular test and snapshot files and,
 * when there are many (and a core to spare), starts reading them on a worker thread, so that
 * readNodeFiles, called later with the result, finds their texts read while
 * this thread did other work (macros, properties). The texts are those a read
 * here gives; a file the worker could not read is read here.
 */
export function prefetchNodeFiles(packages: readonly ProjectConfig[], states?: Map<string, ReadState>): NodeFilesPrefetch {
  const listed = new Map(packages.map((p) => [p, listSqlFiles(p)]));
  const unread = new Set(packages);
  if (!fastPaths()) return { listed, unread, states };
  const paths = [...listed.values()].flatMap(listedPaths);
  return { listed, unread, states, texts: paths.length >= prefetchAtLeast ? PrefetchedTexts.start(paths, false, states !== undefined) : undefined };
}

/**
 * The absolute paths of the files readNodeFiles reads through its prefetch
 * (model, analysis, singular test and snapshot files; not seeds), each
 * package's as prefetchNodeFiles lists them: the files whose states a cold
 * parse takes from its own reads (NodeFilesPrefetch.states).
 */
export function nodeFilePaths(packages: readonly ProjectConfig[]): string[] {
  return packages.flatMap((p) => listedPaths(listSqlFiles(p)));
}

/** A package's listed model, analysis, singular test and snapshot files' absolute paths, in readNodeFiles' order. */
function listedPaths(l: ListedSqlFiles): string[] {
  return [...l.byKind.flatMap(({ files }) => files.map((f) => f.absolute)), ...l.snapshots.map((f) => f.absolute)];
}

/** The package's model, analysis and singular test files (readNodeFiles' first part, in its order: no snapshots or seeds). */
export function readSqlNodeFiles(pkg: ProjectConfig, listed = listSqlFiles(pkg), texts?: PrefetchedTexts, states?: Map<string, ReadState>): NodeFile[] {
  const out: NodeFile[] = [];
  for (const { kind, files } of listed.byKind) {
    for (const f of files) {
      const nf = sqlNodeFile(pkg, f, kind, texts, states);
      if (nf) out.push(nf);
    }
  }
  return out;
}

export function readNodeFiles(pkg: ProjectConfig, env: JinjaEnvironment, errors: TsdbtError[], prefetch?: NodeFilesPrefetch): NodeFile[] {
  const listed = prefetch?.listed.get(pkg) ?? listSqlFiles(pkg);
  const texts = prefetch?.texts;
  const out = readSqlNodeFiles(pkg, listed, texts, prefetch?.states);
  for (const f of listed.snapshots) {
    const { onDisk, text, leadingLines } = read(f, texts, prefetch?.states);
    const blocks = blocksOrError(env, text, f.relativeToRoot, errors);
    for (const block of (blocks ?? []).filter((b) => b.kind === 'snapshot')) {
      const node = nodeFromFile(pkg, f, 'snapshot', block.body, block.name);
      // A snapshot's checksum is its file's, as in dbt.
      node.checksum = checksumOf(text);
      const bodyStart = block.source.indexOf(block.body);
      const lineOffset = leadingLines + block.line - 1 + (bodyStart > 0 ? block.source.slice(0, bodyStart).split('\n').length - 1 : 0);
      out.push({ node, fileText: onDisk, lineOffset, configTree: 'snapshots', root: pkg.root });
    }
  }
  for (const f of findFiles(pkg.root, pkg.seedPaths, ['.csv'])) {
    const node = nodeFromFile(pkg, f, 'seed', '');
    // Manifest v12 writes a seed's package root (and no other node's).
    node.root_path = pkg.root;
    node.seed_file = f.absolute;
    node.checksum = statSync(f.absolute).size > MAXIMUM_SEED_SIZE ? { name: 'path', checksum: f.relativeToRoot } : checksumOf(read(f).text);
    out.push({ node, fileText: '', lineOffset: 0, configTree: 'seeds', root: pkg.root });
  }
  // Once every listed package is read, the worker stops.
  if (prefetch?.unread.delete(pkg) && prefetch.unread.size === 0) texts?.close();
  return out;
}
