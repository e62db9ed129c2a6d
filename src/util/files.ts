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
    walk(base, (abs) => {
      if (!extensions.some((ext) => abs.endsWith(ext))) return;
      out.push({
        absolute: abs,
        relativeToRoot: toPosix(relative(root, abs)),
        relativeToFolder: toPosix(relative(base, abs)),
        folder: toPosix(folder).replace(/\/+$/, ''),
      });
    });
  }
  out.sort((a, b) => (a.relativeToRoot < b.relativeToRoot ? -1 : a.relativeToRoot > b.relativeToRoot ? 1 : 0));
  return out;
}

function walk(dir: string, visit: (abs: string) => void): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) walk(abs, visit);
    else if (entry.isFile() || entry.isSymbolicLink()) visit(abs);
  }
}

export function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}
