import { buildGraph, type DependencyGraph } from '../graph/dependency-graph.js';
import type { PreviousState } from '../graph/previous-state.js';
import { selectNodes } from '../graph/select-nodes.js';
import type { SelectorDefinition } from '../graph/selectors-yaml.js';
import type { IndirectSelection } from '../graph/selection-spec.js';
import type { Manifest } from '../manifest/types.js';

export interface SelectionFlags {
  select?: string[];
  exclude?: string[];
  selector?: string;
  resourceTypes?: string[];
  /** `--exclude-resource-type`: types left out of the selection. */
  excludeResourceTypes?: string[];
  indirectSelection?: IndirectSelection;
  /** `--state`, read (state-artifacts.ts): what state:, result: and source_status: compare against. */
  state?: PreviousState;
}

export interface Selected {
  graph: DependencyGraph;
  selected: Set<string>;
  warnings: string[];
}

/**
 * graph → select with the YAML selectors `selectors()` gives (read after
 * the graph is built, so a cycle is reported first). select-phase.ts reads
 * them from selectors.yml; the quick `ls` (which runs only without one)
 * comes here directly and so loads no YAML code.
 */
export function selectWith(manifest: Manifest, flags: SelectionFlags, defaultResourceTypes: string[] | undefined, selectors: () => Record<string, SelectorDefinition> | undefined): Selected {
  return selectOnGraph(buildGraph(manifest), manifest, flags, defaultResourceTypes, selectors);
}

/** selectWith on a graph already built; `manifest` (what state methods compare) may be absent when flags.state is. */
export function selectOnGraph(graph: DependencyGraph, manifest: Manifest | undefined, flags: SelectionFlags, defaultResourceTypes: string[] | undefined, selectors: () => Record<string, SelectorDefinition> | undefined): Selected {
  const { selected, warnings } = selectNodes(manifest, graph, {
    select: flags.select,
    exclude: flags.exclude,
    selector: flags.selector,
    selectors: selectors(),
    indirectSelection: flags.indirectSelection,
    resourceTypes: flags.resourceTypes,
    excludeResourceTypes: flags.excludeResourceTypes,
    defaultResourceTypes,
    state: flags.state,
  });
  return { graph, selected, warnings };
}
