import { readFileSync } from 'node:fs';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { JinjaEnvironment, TopLevelBlock } from '../jinja/index.js';
import type { Doc, Macro } from '../manifest/types.js';
import type { MacroFile, MacroRegistry } from '../context/macro-registry.js';
import { findFiles } from '../util/files.js';
import type { ProjectConfig } from './project-config.js';

/**
 * Register a package's macros (macro-paths, plus generic tests in
 * `<test-path>/generic`), and collect `{% docs %}` blocks from its .md files.
 */
export function readMacroFiles(
  pkg: ProjectConfig,
  env: JinjaEnvironment,
  registry: MacroRegistry,
  docs: Record<string, Doc>,
  errors: TsdbtError[],
): void {
  const macroFolders = [...pkg.macroPaths, ...pkg.testPaths.map((p) => `${p.replace(/\/+$/, '')}/generic`)];
  for (const f of findFiles(pkg.root, macroFolders, ['.sql'])) {
    const file = readMacroFile(pkg, env, f.absolute, f.relativeToRoot, errors);
    if (file) registry.addFile(file.path, file.source, file.macros);
  }
  const docFolders = pkg.docsPaths ?? [...pkg.modelPaths, ...pkg.seedPaths, ...pkg.snapshotPaths, ...pkg.analysisPaths, ...pkg.macroPaths, ...pkg.testPaths];
  for (const f of findFiles(pkg.root, [...new Set(docFolders)], ['.md'])) {
    const text = readFileSync(f.absolute, 'utf8');
    if (!text.includes('{%')) continue;
    for (const b of blocksOrError(env, text, f.relativeToRoot, errors) ?? []) {
      if (b.kind !== 'docs') continue;
      const id = `doc.${pkg.name}.${b.name}`;
      docs[id] = { name: b.name, resource_type: 'doc', package_name: pkg.name, path: f.relativeToFolder, original_file_path: f.relativeToRoot, unique_id: id, block_contents: b.body.trim() };
    }
  }
}

/** One macro file of a package and the macros it defines, or undefined with its syntax error collected. */
export function readMacroFile(pkg: ProjectConfig, env: JinjaEnvironment, absolute: string, relativeToRoot: string, errors: TsdbtError[]): MacroFile | undefined {
  const text = readFileSync(absolute, 'utf8');
  const blocks = blocksOrError(env, text, relativeToRoot, errors);
  if (!blocks) return undefined;
  const macros: Macro[] = [];
  for (const b of blocks) {
    if (!b.macroName) continue;
    macros.push({
      unique_id: `macro.${pkg.name}.${b.macroName}`,
      resource_type: 'macro',
      package_name: pkg.name,
      name: b.macroName,
      path: relativeToRoot,
      original_file_path: relativeToRoot,
      macro_sql: b.source,
      description: '',
      meta: {},
      arguments: b.args.map((a) => ({ name: a.name, type: null, description: '' })),
      depends_on: { macros: [] },
      patch_path: null,
    });
  }
  return { path: absolute, source: blocksOnly(text, blocks), macros };
}

/**
 * The text a macro file is compiled from: its blocks, and between them only spaces and line breaks (so errors keep
 * the file's lines and columns). dbt renders each block on its own and never the text around them, where a stray
 * `{% endmacro %}`, an unknown tag or a `{% set %}` would otherwise stop or change the whole file's compile.
 * The file's own text when nothing between its blocks holds a tag or an expression (comments are harmless).
 */
export function blocksOnly(text: string, blocks: readonly TopLevelBlock[]): string {
  const between: [number, number][] = [];
  let at = 0;
  for (const b of blocks) {
    between.push([at, b.offset]);
    at = b.offset + b.source.length;
  }
  between.push([at, text.length]);
  if (!between.some(([from, to]) => /\{[%{]/.test(text.slice(from, to)))) return text;
  let out = '';
  let from = 0;
  for (const [gapStart, gapEnd] of between) {
    out += text.slice(from, gapStart) + text.slice(gapStart, gapEnd).replace(/[^\n]/g, ' ');
    from = gapEnd;
  }
  return out;
}

/** A file's top-level blocks, or undefined with the syntax error collected (parse goes on with other files). */
export function blocksOrError(env: JinjaEnvironment, text: string, file: string, errors: TsdbtError[]): TopLevelBlock[] | undefined {
  try {
    return env.blocks(text, file);
  } catch (e) {
    if (e instanceof TsdbtError) {
      errors.push(e);
      return undefined;
    }
    throw e;
  }
}
