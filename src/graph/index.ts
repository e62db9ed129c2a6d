/**
 * The graph phase: DAG, cycle detection, node selection and scheduling.
 * Input is the Manifest; nothing here renders Jinja.
 *
 *   const graph = buildGraph(manifest);                       // throws CYCLE
 *   const { selected, warnings } = selectNodes(manifest, graph, { select: ['+mart'], defaultResourceTypes: ['model'] });
 *   const queue = new ReadyQueue(graph, selected);
 */
export { DependencyGraph, buildGraph } from './dependency-graph.js';
export { findCycle, assertAcyclic } from './find-cycle.js';
export { checkManifestGraph } from './check-manifest-graph.js';
export { parseSelection, parseCriterion } from './parse-selection.js';
export { loadSelectorsYaml, type SelectorDefinition } from './selectors-yaml.js';
export { selectNodes, evaluateSelection, type SelectOptions, type SelectionResult } from './select-nodes.js';
export type {
  IndirectSelection,
  MethodName,
  SelectionCriterion,
  SelectionSet,
  SelectionSpec,
} from './selection-spec.js';
export { fnmatch } from './fnmatch.js';
export { ReadyQueue, type QueuePriority, type ReadyQueueOptions, type QueueRunSummary } from './ready-queue.js';
