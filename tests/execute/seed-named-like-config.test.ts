/**
 * dbt_project.yml keys without `+` whose value is a mapping are paths, never
 * configs (dbt's _project_configs): dbt_greenhouse configures a seed named
 * `tags` with `tags: {+column_types: ...}`, which is that seed's block, not
 * tags for its siblings.
 */
import { describe, expect, it } from 'vitest';
import { build } from '../../src/api/run.js';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { makeProject, statuses } from './harness.js';

describe('a seed named like a config key', () => {
  it('its block configures it alone', async () => {
    const p = makeProject({
      'seeds/tags.csv': 'id,name\n1,a\n',
      'seeds/activity.csv': 'id\n2\n',
    });
    p.write({
      'dbt_project.yml': [
        'name: proj', 'profile: proj', 'config-version: 2',
        'seeds:', '  proj:', '    +tags: [fivetran]', '    tags:', '      +column_types:', '        id: varchar',
        '    meta:', '      owner: nobody',
      ].join('\n'),
    });
    const r = await build(p.opts);
    expect(statuses(r.results)).toEqual({ tags: 'success', activity: 'success' });
    expect(await p.query("select table_name, data_type from information_schema.columns where column_name = 'id' order by table_name")).toEqual([
      { table_name: 'activity', data_type: 'INTEGER' },
      { table_name: 'tags', data_type: 'VARCHAR' },
    ]);
    const manifest = parseLoaded(loadProject(p.opts)).manifest;
    const activity = manifest.nodes['seed.proj.activity']!;
    expect([activity.tags, activity.config.meta]).toEqual([['fivetran'], {}]);
  });
});
