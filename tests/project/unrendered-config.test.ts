/**
 * unrendered_config as dbt 1.10 records it (what state:modified.configs
 * compares): each level's keys replace the earlier ones', dicts and lists
 * included, while the config itself merges them. Fivetran's integration
 * projects set a seed's column_types at the project level and again on
 * the seed; dbt's manifest keeps only the seed's.
 */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { makeProject } from '../execute/harness.js';

describe('unrendered_config', () => {
  it('keeps the most specific value of a dict or list config', () => {
    const p = makeProject({
      'seeds/s.csv': 'id,at\n1,2024-01-01\n',
      'models/m.sql': "{{ config(tags=['own'], meta={'b': 2}) }}select 1 as id",
    });
    p.write({
      'dbt_project.yml': [
        'name: proj', 'profile: proj', 'config-version: 2',
        'models:', '  proj:', '    +tags: [project]', '    +meta: {a: 1}',
        'seeds:', '  proj:', '    +column_types: {at: timestamp}', '    s:', '      +column_types: {id: bigint}',
      ].join('\n'),
    });
    const { nodes } = parseLoaded(loadProject(p.opts)).manifest;
    const s = nodes['seed.proj.s']!;
    expect([s.config.column_types, s.unrendered_config]).toEqual([{ at: 'timestamp', id: 'bigint' }, { column_types: { id: 'bigint' } }]);
    const m = nodes['model.proj.m']!;
    expect([m.config.tags, m.config.meta, m.unrendered_config]).toEqual([['project', 'own'], { a: 1, b: 2 }, { tags: ['own'], meta: { b: 2 } }]);
  });
});
