import type { Manifest } from '../../manifest/types.js';
import { unreadMember } from '../../util/lazy-members.js';

/** dbt's "Found 3 models, 2 seeds, 5 data tests, 1 source, ..." line. */
export function summariseManifest(m: Manifest): string {
  const counts = new Map<string, number>();
  for (const id of Object.keys(m.nodes)) {
    // A node read from the parse cache as used and not read yet (api/lazy-cache-body.ts) is counted by its unique id,
    // which begins with its resource type.
    const type = unreadMember(m.nodes, id) ? id.slice(0, id.indexOf('.')) : m.nodes[id]!.resource_type;
    const key = type === 'test' ? 'data test' : type;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const add = (key: string, n: number) => n > 0 && counts.set(key, n);
  add('source', Object.keys(m.sources).length);
  add('exposure', Object.keys(m.exposures).length);
  add('unit test', Object.keys(m.unit_tests).length);
  add('metric', Object.keys(m.metrics).length);
  add('macro', Object.keys(m.macros).length);
  add('group', Object.keys(m.groups).length);
  add('semantic model', Object.keys(m.semantic_models).length);
  add('saved query', Object.keys(m.saved_queries).length);
  // dbt's _generate_stats: the node types, then sources, exposures, metrics, macros, groups, semantic models, saved queries.
  const order = ['model', 'snapshot', 'analysis', 'seed', 'data test', 'unit test', 'source', 'exposure', 'metric', 'macro', 'group', 'semantic model', 'saved query'];
  const parts = order.filter((k) => counts.has(k)).map((k) => {
    const n = counts.get(k)!;
    const plural = k === 'analysis' ? 'analyses' : k === 'saved query' ? 'saved queries' : `${k}s`;
    return `${n} ${n === 1 ? k : plural}`;
  });
  return `Found ${parts.join(', ')}`;
}
