import { readFileSync } from 'node:fs';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { JinjaEnvironment, TopLevelBlock } from '../jinja/index.js';
import type { Doc, Macro } from '../manifest/types.js';
import type { MacroRegistry } from '../context/macro-registry.js';
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
    const text = readFileSync(f.absolute, 'utf8');
    const blocks = blocksOrError(env, text, f.relativeToRoot, errors);
    if (!blocks) continue;
    const macros: Macro[] = [];
    for (const b of blocks) {
      if (!b.macroName) continue;
      macros.push({
        unique_id: `macro.${pkg.name}.${b.macroName}`,
        resource_type: 'macro',
        package_name: pkg.name,
        name: b.macroName,
        path: f.relativeToRoot,
        original_file_path: f.relativeToRoot,
        root_path: pkg.root,
        line: b.line,
        macro_sql: b.source,
        description: '',
        meta: {},
        arguments: b.args.map((a) => ({ name: a.name, type: null, description: '' })),
        depends_on: { macros: [] },
        patch_path: null,
      });
    }
    registry.addFile(f.absolute, text, macros);
  }
  const docFolders = pkg.docsPaths ?? [...pkg.modelPaths, ...pkg.seedPaths, ...pkg.snapshotPaths, ...pkg.analysisPaths, ...pkg.macroPaths, ...pkg.testPaths];
  for (const f of findFiles(pkg.root, [...new Set(docFolders)], ['.md'])) {
    const text = readFileSync(f.absolute, 'utf8');
    if (!text.includes('{%')) continue;
    for (const b of blocksOrError(env, text, f.relativeToRoot, errors) ?? []) {
      if (b.kind !== 'docs') continue;
      const id = `doc.${pkg.name}.${b.name}`;
      docs[id] = { unique_id: id, name: b.name, package_name: pkg.name, original_file_path: f.relativeToRoot, block_contents: b.body.trim() };
    }
  }
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
