import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

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
    walk(base, '', (abs, rel) => {
      if (!extensions.some((ext) => abs.endsWith(ext))) return;
      out.push({ absolute: abs, relativeToRoot: prefix ? `${prefix}/${rel}` : rel, relativeToFolder: rel, folder: folderName });
    });
  }
  out.sort((a, b) => (a.relativeToRoot < b.relativeToRoot ? -1 : a.relativeToRoot > b.relativeToRoot ? 1 : 0));
  return out;
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
