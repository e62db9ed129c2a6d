import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

export interface FoundFile {
  /** Absolute path. */
  absolute: string;
  /** Path relative to the package root, with forward slashes (dbt's original_file_path). */
  relativeToRoot: string;
  /** Path relative to the resource folder it was found in (dbt's path). */
  relativeToFolder: string;
  /** The resource folder as written in dbt_project.yml, e.g. `models`. */
  folder: string;
}

/**
 * Every file under `folders` (relative to `root`) whose name ends in one of
 * `extensions`, sorted for stable output. Missing folders are skipped (dbt
 * does the same); hidden files and folders are ignored.
 */
export function findFiles(root: string, folders: readonly string[], extensions: readonly string[]): FoundFile[] {
  const out: FoundFile[] = [];
  for (const folder of folders) {
    const base = join(root, folder);
    let st;
    try {
      st = statSync(base);
    } catch {
      continue;
    }
    if (!st.isDirectory()) continue;
    // Paths relative to the root are the folder's own relative path plus the names walked (path.relative per file is slow at 10,000 files).
    const prefix = toPosix(relative(root, base));
    const folderName = toPosix(folder).replace(/\/+$/, '');
    const files = listed(base);
    for (let i = 0; i < files.length; i += 2) {
      const abs = files[i]!;
      if (!extensions.some((ext) => abs.endsWith(ext))) continue;
      const rel = files[i + 1]!;
      out.push({ absolute: abs, relativeToRoot: prefix ? `${prefix}/${rel}` : rel, relativeToFolder: rel, folder: folderName });
    }
  }
  out.sort((a, b) => (a.relativeToRoot < b.relativeToRoot ? -1 : a.relativeToRoot > b.relativeToRoot ? 1 : 0));
  return out;
}

/**
 * The folders findFiles walked while a listing scope is open (withListingScope):
 * per folder, every file under it as absolute path and path relative to the
 * folder, in pairs, in the walk's order.
 */
let listings: Map<string, string[]> | undefined;

/**
 * Run `fn` with findFiles listing each folder once: a parse looks for SQL,
 * YAML, CSV and Markdown files in the same folders (model-paths hold all of
 * them), and each look walked the folder again (Tuva: each of its ~280
 * folders opened three times). Only for work that creates, removes and
 * renames nothing in those folders while it runs, synchronously (a parse
 * from its file listing to its result); scopes nest (the outer one holds).
 */
export function withListingScope<T>(fn: () => T): T {
  if (listings) return fn();
  listings = new Map();
  try {
    return fn();
  } finally {
    listings = undefined;
  }
}

/** Every file under `base` (see listings), walked now or, in a listing scope, the first time it is asked for. */
function listed(base: string): string[] {
  let files = listings?.get(base);
  if (files === undefined) {
    const found: string[] = [];
    walk(base, '', (abs, rel) => found.push(abs, rel));
    files = found;
    listings?.set(base, files);
  }
  return files;
}

/** Visits each file under `dir` with its absolute path and its path relative to where the walk began (forward slashes). */
function walk(dir: string, rel: string, visit: (abs: string, rel: string) => void): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    // As join(dir, name): `dir` is already normalised and a name holds no separator.
    const abs = dir.endsWith(sep) ? dir + entry.name : dir + sep + entry.name;
    const relPath = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(abs, relPath, visit);
    else if (entry.isFile() || entry.isSymbolicLink()) visit(abs, relPath);
  }
}

export function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/**
 * A path the project names (target-path, log-path, a compiled file's path) as a file path: relative ones are
 * under `root`, absolute ones stand as they are (Python's os.path.join, which dbt uses, drops `root` for them).
 */
export function pathUnder(root: string, p: string, ...rest: string[]): string {
  return isAbsolute(p) ? join(p, ...rest) : join(root, p, ...rest);
}
