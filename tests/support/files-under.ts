import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under `folder` (none when it does not exist) with its text, keyed by its path relative to `base` (default: `folder`). */
export function filesUnder(folder: string, base = folder): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(base, path)] = readFileSync(path, 'utf8');
    }
  };
  if (existsSync(folder)) walk(folder);
  return out;
}
