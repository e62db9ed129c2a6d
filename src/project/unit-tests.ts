import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode, UnitTestDefinition } from '../manifest/types.js';
import { blankNode } from './node-defaults.js';
import type { RefIndex } from './resolve-refs.js';

type UnitTestDecl = Record<string, unknown> & { __file: string; __line?: number };

/** dbt 1.8 `unit_tests:` entries as unit_test nodes depending on the model they test. */
export function buildUnitTests(
  decls: UnitTestDecl[],
  rootName: string,
  index: RefIndex,
  nodes: Record<string, CompiledNode>,
  errors: TsdbtError[],
): Record<string, CompiledNode> {
  const out: Record<string, CompiledNode> = {};
  for (const d of decls) {
    if (typeof d.name !== 'string' || typeof d.model !== 'string') {
      errors.push(new TsdbtError('YAML_SCHEMA', "Each unit test needs 'name:' and 'model:'", { file: d.__file, line: d.__line, hint: 'Write `- name: test_x\\n  model: my_model\\n  given: [...]\\n  expect: {rows: [...]}`.' }));
      continue;
    }
    const model = index.resolveRef({ name: d.model }, rootName);
    if (!model) {
      errors.push(index.refError({ name: d.model }, { name: d.name, file: d.__file, line: d.__line }));
      continue;
    }
    const given = (Array.isArray(d.given) ? d.given : []) as Record<string, unknown>[];
    const expect = (d.expect ?? {}) as Record<string, unknown>;
    const def: UnitTestDefinition = {
      model: d.model,
      given: given.map((g) => ({ input: String(g.input), rows: g.rows, format: (g.format as 'dict') ?? 'dict', fixture: (g.fixture as string) ?? null })),
      expect: { rows: expect.rows, format: (expect.format as 'dict') ?? 'dict', fixture: (expect.fixture as string) ?? null },
      overrides: (d.overrides as UnitTestDefinition['overrides']) ?? undefined,
    };
    const node = blankNode({
      unique_id: `unit_test.${model.package_name}.${model.name}.${d.name}`,
      resource_type: 'unit_test',
      package_name: model.package_name,
      name: d.name,
      path: d.__file,
      original_file_path: d.__file,
      root_path: model.root_path,
      fqn: [model.package_name, ...model.fqn.slice(1, -1), model.name, d.name],
      raw_code: '',
    });
    node.unit_test = def;
    node.description = typeof d.description === 'string' ? d.description : '';
    node.depends_on.nodes = [model.unique_id];
    node.attached_node = model.unique_id;
    node.config.materialized = 'unit';
    const cfg = (d.config ?? {}) as Record<string, unknown>;
    node.tags = Array.isArray(cfg.tags) ? cfg.tags.map(String) : [];
    node.config.tags = node.tags;
    if (cfg.enabled === false) continue;
    void nodes;
    out[node.unique_id] = node;
  }
  return out;
}
