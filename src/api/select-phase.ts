import type { Manifest } from '../manifest/types.js';
import { fastPaths } from '../util/fast-paths.js';
import { lazySelectionIndexOf } from './parse-phase.js';
import { projectSelectors } from './project-selectors.js';
import { selectOnGraph, selectWith, type Selected, type SelectionFlags } from './select-graph.js';
import { indexAnswersSelection, indexGraph } from './selection-index.js';

export type { Selected, SelectionFlags };

/** graph → select: the DAG (cycles are errors) and the nodes a command acts on. */
export function selectFromManifest(projectDir: string, manifest: Manifest, flags: SelectionFlags, defaultResourceTypes?: string[], whole = false): Selected {
  const selectors = () => projectSelectors(projectDir);
  const index = fastPaths() ? lazySelectionIndexOf(manifest) : undefined;
  if (index && indexSelects(projectDir, flags, whole)) {
    return selectOnGraph(indexGraph(index), manifest, flags, defaultResourceTypes, selectors);
  }
  return selectWith(manifest, flags, defaultResourceTypes, selectors);
}

/**
 * Whether the selection index answers these flags: a selection (a
 * `--select`, a `--selector`, or selectors.yml's default selector when
 * neither `--select` nor `--exclude` is given) of selector methods it keeps,
 * and no state to compare with. A command then reads the parse cache's
 * nodes as it uses them. `whole`: without a selection too (a whole compile,
 * which reads every node: see execution.ts readsAllNodes).
 */
export function indexSelects(projectDir: string, flags: Pick<SelectionFlags, 'select' | 'exclude' | 'selector'> & { state?: unknown }, whole = false): boolean {
  return (whole || selects(projectDir, flags)) && !flags.state && indexAnswersSelection(projectDir, flags);
}

/** A selection narrows the command: `--select`, `--selector`, or a default YAML selector that applies. */
export function selects(projectDir: string, flags: Pick<SelectionFlags, 'select' | 'exclude' | 'selector'>): boolean {
  if (flags.select?.length || flags.selector !== undefined) return true;
  if (flags.exclude?.some((s) => s.trim() !== '')) return false;
  try {
    return Object.values(projectSelectors(projectDir) ?? {}).some((d) => d.default);
  } catch {
    // The selection reports a selectors.yml that does not load.
    return false;
  }
}
