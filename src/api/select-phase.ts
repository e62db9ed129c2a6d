import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSelectorsYaml } from '../graph/selectors-yaml.js';
import type { Manifest } from '../manifest/types.js';
import { fastPaths } from '../util/fast-paths.js';
import { lazySelectionIndexOf } from './parse-phase.js';
import { selectOnGraph, selectWith, type Selected, type SelectionFlags } from './select-graph.js';
import { indexAnswersSelection, indexGraph } from './selection-index.js';

export type { Selected, SelectionFlags };

/** graph → select: the DAG (cycles are errors) and the nodes a command acts on. */
export function selectFromManifest(projectDir: string, manifest: Manifest, flags: SelectionFlags, defaultResourceTypes?: string[], whole = false): Selected {
  const file = join(projectDir, 'selectors.yml');
  const selectors = () => (existsSync(file) ? loadSelectorsYaml('selectors.yml', readFileSync(file, 'utf8')) : undefined);
  const index = fastPaths() ? lazySelectionIndexOf(manifest) : undefined;
  if (index && indexSelects(projectDir, flags, whole)) {
    return selectOnGraph(indexGraph(index), manifest, flags, defaultResourceTypes, () => undefined);
  }
  return selectWith(manifest, flags, defaultResourceTypes, selectors);
}

/**
 * Whether the selection index answers these flags: a `--select` (and
 * `--exclude`) of selector methods it keeps, no `--selector`, no state to
 * compare with and no selectors.yml (whose default selector could apply).
 * A command then reads the parse cache's nodes as it uses them. `whole`:
 * without a `--select` too (a whole compile, which reads every node: see
 * execution.ts readsAllNodes).
 */
export function indexSelects(projectDir: string, flags: Pick<SelectionFlags, 'select' | 'exclude' | 'selector'> & { state?: unknown }, whole = false): boolean {
  return (whole || Boolean(flags.select?.length)) && !flags.state && indexAnswersSelection(projectDir, flags);
}
