import { existsSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { resolve } from 'node:path';
import { hashText } from './file-states.js';

/**
 * What loading a project looked at in the file system: each file read (its
 * bytes' hash), each path probed (exists or not) and each folder listed
 * (its entries and their kinds), by absolute path. The loaders
 * (project/project-config, profiles, packages, installed-packages) go
 * through readInput/inputExists/listInput, which log here while
 * logInputs runs; the quick start (api/quick-start.ts) then proves a load
 * would read the same by looking at the same paths again (inputsUnchanged).
 */
export type InputLog = Record<string, string>;

let current: InputLog | undefined;

/** Run `fn` logging every input it reads through this module. Not reentrant: a nested call logs into its own log only. */
export function logInputs<T>(fn: () => T): { result: T; inputs: InputLog } {
  const outer = current;
  const inputs: InputLog = {};
  current = inputs;
  try {
    return { result: fn(), inputs };
  } finally {
    current = outer;
  }
}

/** What `path` is now, in the log's terms: `f:<hash>` (a file read), `e:1`/`e:0` (probed), `d:<hash of entries>` (listed). */
function stateOf(kind: string, path: string): string {
  switch (kind) {
    case 'f':
      try {
        return `f:${hashText(readFileSync(path))}`;
      } catch {
        return 'f:-';
      }
    case 'e':
      return existsSync(path) ? 'e:1' : 'e:0';
    default:
      try {
        return `d:${hashText(listingText(readdirSync(path, { withFileTypes: true })))}`;
      } catch {
        return 'd:-';
      }
  }
}

const listingText = (entries: Dirent[]) => entries.map((e) => `${e.isDirectory() ? 'd' : e.isSymbolicLink() ? 'l' : e.isFile() ? 'f' : 'o'}${e.name}`).sort().join('\n');

/** readFileSync(path, 'utf8'), logged. */
export function readInput(path: string): string {
  const bytes = readFileSync(path);
  if (current) current[`f ${resolve(path)}`] = `f:${hashText(bytes)}`;
  return bytes.toString('utf8');
}

/** existsSync(path), logged. */
export function inputExists(path: string): boolean {
  const found = existsSync(path);
  if (current) current[`e ${resolve(path)}`] = found ? 'e:1' : 'e:0';
  return found;
}

/** readdirSync(path, { withFileTypes: true }), logged. */
export function listInput(path: string): Dirent[] {
  const entries = readdirSync(path, { withFileTypes: true });
  if (current) current[`d ${resolve(path)}`] = `d:${hashText(listingText(entries))}`;
  return entries;
}

/** True when every path of `inputs` is still what it was (the same bytes, existence, entries). */
export function inputsUnchanged(inputs: InputLog): boolean {
  for (const [k, was] of Object.entries(inputs)) {
    if (stateOf(k[0]!, k.slice(2)) !== was) return false;
  }
  return true;
}

/**
 * `env` seen through a proxy that notes each variable read by name (name →
 * hash of its value, null: unset), for the loaders' own reads (env_var()
 * in dbt_project.yml and profiles.yml, DBT_PROFILES_DIR, HOME).
 */
export function envReads(env: Record<string, string | undefined>): { env: Record<string, string | undefined>; read: Record<string, string | null> } {
  const read: Record<string, string | null> = {};
  const note = (name: string | symbol) => {
    if (typeof name === 'string' && !(name in read)) read[name] = envHash(env[name]);
  };
  const proxy = new Proxy(env, {
    get(target, prop) {
      note(prop);
      return Reflect.get(target, prop);
    },
    has(target, prop) {
      note(prop);
      return Reflect.has(target, prop);
    },
  });
  return { env: proxy, read };
}

export const envHash = (value: string | undefined): string | null => (value === undefined ? null : hashText(value));
