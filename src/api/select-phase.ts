import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGraph, loadSelectorsYaml, selectNodes, type DependencyGraph } from '../graph/index.js';
import type { IndirectSelection } from '../graph/index.js';
import type { PreviousState } from '../graph/previous-state.js';
import type { Manifest } from '../manifest/types.js';

export interface SelectionFlags {
  select?: string[];
  exclude?: string[];
  selector?: string;
  resourceTypes?: string[];
  indirectSelection?: IndirectSelection;
  /** `--state`, read (state-artifacts.ts): what state:, result: and source_status: compare against. */
  state?: PreviousState;
}

export interface Selected {
  graph: DependencyGraph;
  selected: Set<string>;
  warnings: string[];
}

/** graph → select: the DAG (cycles are errors) and the nodes a command acts on. */
export function selectFromManifest(projectDir: string, manifest: Manifest, flags: SelectionFlags, defaultResourceTypes?: string[]): Selected {
  const graph = buildGraph(manifest);
  const file = join(projectDir, 'selectors.yml');
  const selectors = existsSync(file) ? loadSelectorsYaml('selectors.yml', readFileSync(file, 'utf8')) : undefined;
  const { selected, warnings } = selectNodes(manifest, graph, {
    select: flags.select,
    exclude: flags.exclude,
    selector: flags.selector,
    selectors,
    indirectSelection: flags.indirectSelection,
    resourceTypes: flags.resourceTypes,
    defaultResourceTypes,
    state: flags.state,
  });
  return { graph, selected, warnings };
}
