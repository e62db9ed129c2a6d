import { deferredRelation, relationOfNode, type RuntimeShared } from '../context/runtime-context.js';
import { TsdbtError } from '../errors/tsdbt-error.js';

/**
 * Before a deferred run starts: every unselected model, seed or snapshot a
 * selected node reads must exist in the target or, deferred, in the state's
 * relation. A missing one is one DEFER_MISSING error naming each (nothing
 * has run yet, so nothing is lost).
 */
export function checkDeferTargets(shared: RuntimeShared, selected: ReadonlySet<string>): void {
  const { manifest, session } = shared;
  const problems: string[] = [];
  const checked = new Set<string>();
  for (const id of selected) {
    const node = manifest.nodes[id];
    if (!node || node.resource_type === 'test') continue;
    for (const parentId of node.depends_on.nodes) {
      const parent = manifest.nodes[parentId];
      if (!parent || selected.has(parentId) || checked.has(parentId)) continue;
      if (!['model', 'seed', 'snapshot'].includes(parent.resource_type) || parent.config.materialized === 'ephemeral') continue;
      checked.add(parentId);
      const rel = deferredRelation(shared, parent) ?? relationOfNode(shared, parent);
      if (session.cache.get(rel.database, rel.schema ?? session.info.schema, rel.identifier ?? '') !== null) continue;
      const inState = shared.defer?.relations[parentId] !== undefined;
      problems.push(
        `${node.original_file_path}: ref('${parent.name}') resolves to ${rel.render()}, which does not exist` +
          (inState ? ' (the deferred relation of the --state manifest)' : ' (and the --state manifest has no relation for it to defer to)'),
      );
    }
  }
  if (problems.length > 0) {
    throw new TsdbtError('DEFER_MISSING', `Deferral cannot resolve ${problems.length} ref(s):\n  ${problems.join('\n  ')}`, {
      hint: 'Build the missing relation in production (or in the target, e.g. add it to --select), or point --state at the manifest of the run that built it.',
    });
  }
}
