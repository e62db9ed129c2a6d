/**
 * dbt 1.10's config precedence for a package's nodes (calculate_node_config):
 * the package's dbt_project.yml, its properties, its config() calls, and
 * then the root project's dbt_project.yml, which has the final word. So a
 * root `models: pkg: +enabled: false` disables a package model whose SQL
 * says config(enabled=true), and the root's severity wins over the
 * package's properties. unrendered_config layers the same way, each key
 * replacing.
 */
import { describe, expect, it } from 'vitest';
import { build } from '../../src/api/run.js';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { makeProject, statuses } from '../execute/harness.js';

describe('the root project over a package', () => {
  it('root dbt_project.yml configs apply after the package node config() and properties', async () => {
    const p = makeProject({
      'dbt_packages/minipkg/dbt_project.yml': 'name: minipkg\nversion: "1.0.0"\nconfig-version: 2\nmodels:\n  minipkg:\n    +materialized: table\n    +meta: {owner: pkg, team: a}\n',
      'dbt_packages/minipkg/models/kept.sql': "{{ config(materialized='table', meta={'team': 'b'}) }}select 1 as id",
      'dbt_packages/minipkg/models/dropped.sql': "{{ config(enabled=true) }}select 1 as id",
      'dbt_packages/minipkg/models/props.yml': 'version: 2\nmodels:\n  - name: kept\n    columns:\n      - name: id\n        data_tests:\n          - not_null:\n              config: {severity: error}\n',
    });
    p.write({
      'dbt_project.yml': [
        'name: proj', 'profile: proj', 'config-version: 2',
        'models:', '  minipkg:', '    +materialized: view', '    dropped:', '      +enabled: false',
        'data_tests:', '  minipkg:', '    +severity: warn',
      ].join('\n'),
    });
    const r = await build(p.opts);
    expect(statuses(r.results)).toEqual({ kept: 'success', not_null_kept_id: 'pass' });
    expect(await p.query("select table_type from information_schema.tables where table_name = 'kept'")).toEqual([{ table_type: 'VIEW' }]);
    const manifest = parseLoaded(loadProject(p.opts)).manifest;
    const kept = manifest.nodes['model.minipkg.kept']!;
    expect([kept.config.materialized, kept.config.meta]).toEqual(['view', { owner: 'pkg', team: 'b' }]);
    expect(kept.unrendered_config).toEqual({ materialized: 'view', meta: { team: 'b' } });
    const test = Object.values(manifest.nodes).find((n) => n.resource_type === 'test')!;
    expect(test.config.severity).toBe('warn');
  });
});
