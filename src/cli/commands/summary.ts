import { hookCountOf } from '../../api/parse-phase.js';
import type { Manifest } from '../../manifest/types.js';
import { unreadMember } from '../../util/lazy-members.js';

/**
 * dbt's "Found 3 models, 2 seeds, 5 data tests, 1 source, ..." line (compilation.py's _generate_stats): the node
 * types in the order dbt's manifest first holds them, then sources, exposures, metrics, macros, groups, semantic
 * models, saved queries and unit tests.
 */
export function summariseManifest(m: Manifest): string {
  const seen = new Map<string, number>();
  let firstTest: string | undefined;
  for (const id of Object.keys(m.nodes)) {
    // A node read from the parse cache as used and not read yet (api/lazy-cache-body.ts) is counted by its unique id,
    // which begins with its resource type.
    const type = unreadMember(m.nodes, id) ? id.slice(0, id.indexOf('.')) : m.nodes[id]!.resource_type;
    if (type === 'test') firstTest ??= id;
    seen.set(type, (seen.get(type) ?? 0) + 1);
  }
  const hooks = hookCountOf(m);
  if (hooks > 0) seen.set('operation', hooks);
  // dbt parses each project's files with its model, snapshot, analysis, singular test, seed and hook parsers in turn,
  // then every schema file (generic tests): the types come first in that order (a singular test among them when the
  // manifest's first test is one). tsdbt keeps the hooks out of manifest.nodes and its node order differs.
  // (A generic test's unique id ends in its hash, `test.<package>.<name>.<hash>`; a singular test's is `test.<package>.<name>`:
  // told apart without reading a node the parse cache has not read.)
  const singularFirst = firstTest !== undefined && firstTest.split('.').length === 3;
  const parsers = ['model', 'snapshot', 'analysis', ...(singularFirst ? ['test'] : []), 'seed', 'operation'];
  const counts = new Map<string, number>();
  for (const type of [...parsers, ...seen.keys()]) if (seen.has(type) && !counts.has(type)) counts.set(type, seen.get(type)!);
  const add = (type: string, n: number) => n > 0 && counts.set(type, (counts.get(type) ?? 0) + n);
  add('source', Object.keys(m.sources).length);
  add('exposure', Object.keys(m.exposures).length);
  add('metric', Object.keys(m.metrics).length);
  add('macro', Object.keys(m.macros).length);
  add('group', Object.keys(m.groups).length);
  add('semantic_model', Object.keys(m.semantic_models).length);
  add('saved_query', Object.keys(m.saved_queries).length);
  add('unit_test', Object.keys(m.unit_tests).length);
  const parts = [...counts].map(([type, n]) => `${n} ${(n === 1 ? type : plural(type)).replace(/_/g, ' ')}`);
  return `Found ${parts.join(', ')}`;
}

/** NodeType.pluralize; one of a kind is the type's own name, so one test reads "1 test" and more "2 data tests". */
function plural(type: string): string {
  if (type === 'analysis') return 'analyses';
  if (type === 'saved_query') return 'saved_queries';
  if (type === 'test') return 'data_tests';
  return `${type}s`;
}
