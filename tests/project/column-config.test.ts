import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { selectFromManifest } from '../../src/api/select-phase.js';
import { makeProject } from '../support/project-fixture.js';

const parse = (dir: string) => parseLoaded(loadProject({ projectDir: dir, env: {} }));

const PROPS = [
  'version: 2',
  'models:',
  '  - name: m',
  '    columns:',
  '      - name: id',
  '        meta: {owner: a, level: 1}',
  '        tags: [top]',
  '        config:',
  '          meta: {level: 2}',
  '          tags: [pii]',
  '        data_tests:',
  '          - not_null',
  '          - unique:',
  '              config: {tags: [own]}',
  '      - name: plain',
  '        config: {tags: one_tag}',
  '        data_tests: [not_null]',
  '      - name: untagged',
  '        data_tests: [not_null]',
  'sources:',
  '  - name: raw',
  '    tables:',
  '      - name: t',
  '        columns:',
  '          - name: k',
  "            data_tests: [not_null, {relationships: {to: \"ref('m')\", field: id}}]",
  '',
].join('\n');

describe('column config (dbt 1.10): meta and tags, and tags reaching the column tests', () => {
  it('merges config meta/tags over the top-level ones into the column and its config', () => {
    const dir = makeProject({ 'models/m.sql': 'select 1 as id, 2 as plain, 3 as untagged', 'models/props.yml': PROPS });
    const { manifest } = parse(dir);
    const id = manifest.nodes['model.test_project.m']!.columns.id!;
    expect(id.meta).toEqual({ owner: 'a', level: 2 });
    expect(id.tags).toEqual(['top', 'pii']);
    expect(id.config).toEqual({ meta: { owner: 'a', level: 2 }, tags: ['top', 'pii'] });
    expect(manifest.nodes['model.test_project.m']!.columns.plain!.config).toEqual({ meta: {}, tags: ['one_tag'] });
  });

  it('a column test carries the column tags (sorted with its own); tag: selection picks it', () => {
    const dir = makeProject({
      'dbt_project.yml': 'name: test_project\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\ndata_tests:\n  +tags: [from_project]\n',
      'models/m.sql': 'select 1 as id, 2 as plain, 3 as untagged',
      'models/props.yml': PROPS,
    });
    const { manifest } = parse(dir);
    const tags = Object.fromEntries(Object.values(manifest.nodes).filter((n) => n.resource_type === 'test').map((n) => [n.name, n.tags]));
    expect(tags).toEqual({
      not_null_m_id: ['pii', 'top', 'from_project'],
      unique_m_id: ['own', 'pii', 'top', 'from_project'],
      not_null_m_plain: ['one_tag', 'from_project'],
      not_null_m_untagged: ['from_project'],
      source_not_null_raw_t_k: ['from_project'],
      source_relationships_raw_t_k__id__ref_m_: ['from_project'],
    });
    // The test's config keeps its own tags; the column's are on the node only.
    expect(manifest.nodes[Object.keys(manifest.nodes).find((k) => k.includes('.unique_m_id.'))!]!.config.tags).toEqual(['from_project', 'own']);
    const sel = selectFromManifest(dir, manifest, { select: ['tag:pii'] });
    expect([...sel.selected].map((id) => manifest.nodes[id]!.name).sort()).toEqual(['not_null_m_id', 'unique_m_id']);
  });

  it('tests on a source have attached_node null, even when they ref a model; model tests attach to the model', () => {
    const dir = makeProject({ 'models/m.sql': 'select 1 as id, 2 as plain, 3 as untagged', 'models/props.yml': PROPS });
    const { manifest } = parse(dir);
    const attached = Object.fromEntries(Object.values(manifest.nodes).filter((n) => n.resource_type === 'test').map((n) => [n.name, n.attached_node]));
    expect(attached).toEqual({
      not_null_m_id: 'model.test_project.m',
      unique_m_id: 'model.test_project.m',
      not_null_m_plain: 'model.test_project.m',
      not_null_m_untagged: 'model.test_project.m',
      source_not_null_raw_t_k: null,
      source_relationships_raw_t_k__id__ref_m_: null,
    });
  });
});
