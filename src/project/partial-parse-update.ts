import { relative, sep } from 'node:path';
import type { ContextFactory } from '../context/context-factory.js';
import type { MacroFile, MacroRegistry } from '../context/macro-registry.js';
import type { TsdbtError } from '../errors/tsdbt-error.js';
import { readMacroFile } from './macro-files.js';
import { emptyRegistry, parseContexts, type ParseInput } from './parse.js';
import { packageOf, reparseChangedNodeFiles, type CachedParse } from './partial-parse.js';
import { renderMemoFor } from './partial-parse-memo.js';

/** What changed since the cached parse: files (absolute paths) and env vars read at parse. */
export interface ParseChanges {
  added: readonly string[];
  deleted: readonly string[];
  changed: readonly string[];
  env: readonly string[];
}

/** A cached parse brought up to date: the macros it now has and the contexts to go on rendering in. */
export interface UpdatedParse {
  registry: MacroRegistry;
  contexts: ContextFactory;
  macroFiles: MacroFile[];
}

/**
 * dbt's macros whose change its partial parser never follows (they decide how
 * every node is read or named): a change to one is a full parse.
 */
const SPECIAL_OVERRIDE_MACROS = new Set(['ref', 'source', 'config', 'generate_schema_name', 'generate_database_name', 'generate_alias_name']);

/**
 * Brings `cached` (mutated in place) up to date with `changes`, or says why
 * a full parse is needed (dbt's "Unable to do partial parsing because ...").
 *
 * - A macro file whose text changed but that defines the same macros: its
 *   registry entries are replaced, and every node file whose parse ran one of
 *   its macros (at any depth: the cache records each file's macro calls) is
 *   parsed again. A changed macro that generic tests, naming or anything
 *   outside node files ran, or one documented in properties, is a full parse;
 *   so are macros added or removed (a new name can shadow another anywhere).
 * - A changed env var: the node files that read it are parsed again; one read
 *   outside node files is a full parse.
 * - Model, analysis and singular test files whose text changed: parsed again.
 *
 * A returned reason leaves `cached` half-updated: the caller must discard it.
 */
export function updateCachedParse(cached: CachedParse, macroFiles: readonly MacroFile[], changes: ParseChanges, input: ParseInput): UpdatedParse | { reason: string } {
  if (changes.added.length + changes.deleted.length + changes.changed.length + changes.env.length === 0) {
    const registry = emptyRegistry(input);
    for (const f of macroFiles) registry.addFile(f.path, f.source, f.macros);
    return { registry, contexts: parseContexts(input, registry), macroFiles: [...macroFiles] };
  }
  if (changes.added.length || changes.deleted.length) return { reason: 'files were added or deleted' };
  const wide = cached.wideReads;
  const records = cached.nodeFiles;
  if (!wide || records.some((r) => !r.reads)) return { reason: 'the saved manifest does not record what each file read' };
  const changedEnv = new Set(changes.env);
  const wideEnv = wide.env.find((n) => changedEnv.has(n));
  if (wideEnv) return { reason: 'env vars read at parse have changed' };

  const files = [...macroFiles];
  const indexOf = new Map(files.map((f, i) => [f.path, i]));
  const changedMacros = new Set<string>();
  const nodeFilesChanged: string[] = [];
  for (const path of changes.changed) {
    const i = indexOf.get(path);
    if (i === undefined) {
      nodeFilesChanged.push(path);
      continue;
    }
    const pkg = packageOf(input, path);
    const errors: TsdbtError[] = [];
    const next = pkg && readMacroFile(pkg, input.env, path, relative(pkg.root, path).split(sep).join('/'), errors);
    if (!next || errors.length) return { reason: `${path} has errors` };
    const before = files[i]!.macros.map((m) => m.unique_id);
    if (before.join('\n') !== next.macros.map((m) => m.unique_id).join('\n')) return { reason: `macros were added to or removed from ${path}` };
    for (const m of next.macros) {
      if (SPECIAL_OVERRIDE_MACROS.has(m.name)) return { reason: 'change detected to override macro. Starting full parse.' };
      if (cached.manifest.macros[m.unique_id]?.patch_path) return { reason: `${m.unique_id} is documented in a properties file` };
      changedMacros.add(m.unique_id);
    }
    files[i] = next;
  }
  const wideMacro = wide.macros.find((id) => changedMacros.has(id));
  if (wideMacro) return { reason: `${wideMacro} changed and generic tests or naming macros run it` };

  const reparse = new Set(nodeFilesChanged);
  for (const r of records) if (r.reads!.macros.some((id) => changedMacros.has(id)) || r.reads!.env.some((n) => changedEnv.has(n))) reparse.add(r.file);

  const registry = emptyRegistry(input);
  for (const f of files) registry.addFile(f.path, f.source, f.macros);
  const contexts = parseContexts(input, registry);
  const observer = input.observer;
  const memo = observer && renderMemoFor(cached, macroFiles, { ...changes, deleted: [] }, { macro: observer.macro, env: (n) => void input.shared.osEnv[n] });
  memo?.begin(registry);
  input.memo = memo;
  for (const id of changedMacros) {
    const old = cached.manifest.macros[id];
    const now = old && registry.inPackage(old.package_name, old.name);
    if (now) cached.manifest.macros[id] = now;
  }
  if (reparse.size > 0) {
    const reason = reparseChangedNodeFiles(cached, [...reparse], input, contexts, registry);
    if (reason) return { reason };
  }
  cached.wideReads = input.observer?.wide(wide) ?? wide;
  if (memo) cached.renders = memo.kept(records);
  return { registry, contexts, macroFiles: files };
}
