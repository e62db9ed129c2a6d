import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ContextFactory } from '../context/context-factory.js';
import { newCapture } from '../context/parse-context.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { JinjaEnvironment } from '../jinja/index.js';
import type { CompiledNode, Hook, RefCall } from '../manifest/types.js';
import type { ConfigLayer } from './config-merge.js';
import type { LoadedPackage } from './packages.js';
import type { ResourcePatch } from './properties.js';

/** Where a node's hooks were written: its own file's config() calls, its properties entry, the dbt_project.yml files. */
export interface HookSources {
  /** The node's file (relative to its package) and full text. */
  file: string;
  fileText: string;
  /** The config() calls its render made. */
  configCalls: readonly ConfigLayer[];
  patch?: ResourcePatch;
  /** The packages of the parse (their dbt_project.yml files) and the root's directory. */
  packages: readonly LoadedPackage[];
  rootDir: string;
}

/** What rendering a node's hooks found: refs (each located where its hook was written), sources, macros called. */
export interface HookDependencies {
  refs: { call: RefCall; file: string; line: number }[];
  sources: [string, string][];
  macros: string[];
}

/**
 * Render a node's pre- and post-hooks with its parse context, as dbt's
 * update_parsed_node_config does for every node but tests (enabled or not):
 * the refs, sources and top-level macros they call become the node's, and a
 * hook that raises fails the parse, located where the hook was written.
 */
export function renderNodeHooksForParse(
  node: CompiledNode,
  contexts: ContextFactory,
  env: JinjaEnvironment,
  sources: HookSources,
): HookDependencies | TsdbtError {
  const found: HookDependencies = { refs: [], sources: [], macros: [] };
  const hooks: [Hook, 'pre-hook' | 'post-hook'][] = [
    ...node.config.pre_hook.map((h) => [h, 'pre-hook'] as [Hook, 'pre-hook']),
    ...node.config.post_hook.map((h) => [h, 'post-hook'] as [Hook, 'post-hook']),
  ];
  for (const [hook, kind] of hooks) {
    if (!hook.sql.includes('{{') && !hook.sql.includes('{%')) continue;
    const capture = newCapture();
    const { context } = contexts.forParse(node, capture);
    try {
      // One template per hook text: a project-wide hook is compiled once for all its nodes.
      env.render(env.compile(hook.sql, `${kind} of ${node.package_name}`), context);
    } catch (e) {
      if (!(e instanceof TsdbtError)) throw e;
      return hookError(e, node, kind, hookOrigin(hook.sql, sources));
    }
    if (capture.refs.length > 0) {
      const at = hookOrigin(hook.sql, sources);
      for (const call of capture.refs) found.refs.push({ call, file: at.file, line: at.line ?? 1 });
    }
    found.sources.push(...capture.sources);
    for (const m of capture.macros) if (!found.macros.includes(m)) found.macros.push(m);
  }
  return found;
}

function hookError(e: TsdbtError, node: CompiledNode, kind: string, at: { file: string; line?: number }): TsdbtError {
  const what = `${node.resource_type} ${node.name}`;
  // The template's own name (`post-hook of <pkg>`) is no file: the hook's origin is.
  if (e.file?.endsWith(` of ${node.package_name}`)) {
    e.file = undefined;
    e.line = undefined;
  }
  e.message = `${e.message}\n  > in a ${kind} of ${what} (${node.original_file_path}), rendered when the project is parsed`;
  e.hint ??= `dbt renders every pre-hook and post-hook while parsing: fix the hook's Jinja (or the macro or var it uses), or remove the hook from ${at.file}.`;
  return e.withLocation(at);
}

/**
 * Where a hook was written: the node's config() call, its properties entry,
 * or a dbt_project.yml (the node's package's or the root project's), with
 * the line its first line is on when it is found there as written.
 */
function hookOrigin(sql: string, s: HookSources): { file: string; line?: number } {
  const inCall = s.configCalls.some((c) => hasHook(c, sql));
  if (inCall) return { file: s.file, line: lineOfFirstLine(s.fileText, sql) };
  if (s.patch && hasHook(s.patch.config, sql)) return { file: s.patch.file, line: s.patch.line };
  // The root project's configs win over a package's own, so the root's file is looked at first.
  const ordered = [...s.packages].sort((a, b) => (a.kind === 'root' ? -1 : b.kind === 'root' ? 1 : 0));
  for (const p of ordered) {
    if (p.kind === 'internal') continue;
    let text: string;
    try {
      text = readFileSync(join(p.config.root, 'dbt_project.yml'), 'utf8');
    } catch {
      continue;
    }
    const line = lineOfFirstLine(text, sql);
    if (line !== undefined) return { file: relative(s.rootDir, join(p.config.root, 'dbt_project.yml')), line };
  }
  return { file: relative(s.rootDir, join(s.packages.find((p) => p.kind === 'root')!.config.root, 'dbt_project.yml')) };
}

function hasHook(layer: ConfigLayer, sql: string): boolean {
  for (const key of ['pre_hook', 'post_hook', 'pre-hook', 'post-hook']) {
    const v = layer[key];
    for (const h of Array.isArray(v) ? v : [v]) {
      if (h === sql || (h !== null && typeof h === 'object' && (h as { sql?: unknown }).sql === sql)) return true;
    }
  }
  return false;
}

/** 1-based line where the hook's first line appears in a file as written (undefined when quoting changed it). */
export function lineOfFirstLine(text: string, sql: string): number | undefined {
  const first = sql.split('\n').find((l) => l.trim() !== '')?.trim();
  if (!first) return undefined;
  const at = text.indexOf(first);
  return at < 0 ? undefined : text.slice(0, at).split('\n').length;
}
