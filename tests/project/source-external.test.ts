import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

// dbt keeps a source table's `external:` (its ExternalTable: location, file_format, row_format, tbl_properties,
// partitions, and any other key), rendered, on the source node; dbt-external-tables' stage_external_sources picks
// the sources to stage from graph.sources by it and builds their DDL from it.
const FILES = {
  'models/src.yml': `sources:
  - name: ext
    schema: raw
    tables:
      - name: people
        external: &people
          location: "@{{ target.schema }}.stage/csv"
          file_format: "( type = csv )"
          auto_refresh: false
      - name: people_partitioned
        external:
          <<: *people
          partitions:
            - name: section
              data_type: varchar
              expression: "substr(metadata$filename, 1, 1)"
      - name: plain
`,
  'models/m.sql': `{%- set staged = [] -%}
{%- for node in graph.sources.values() if node.external -%}{%- do staged.append(node.name ~ ':' ~ node.external.location) -%}{%- endfor -%}
select '{{ staged | sort | join(",") }}' as staged, '{{ graph.sources["source.test_project.ext.people_partitioned"].external.partitions[0].expression }}' as expr`,
};

describe("a source table's external: property", () => {
  it('is on the manifest source as dbt writes it, and in graph.sources for macros', async () => {
    const dir = makeProject(FILES);
    const io = captureStreams();
    expect(await runCli(['compile', '--project-dir', dir, '--select', 'm', '--quiet'], io.streams, {})).toBe(0);
    expect(io.stdout.join('').trim()).toBe("select 'people:@main.stage/csv,people_partitioned:@main.stage/csv' as staged, 'substr(metadata$filename, 1, 1)' as expr");
    const sources = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')).sources;
    expect(sources['source.test_project.ext.people'].external).toEqual({ location: '@main.stage/csv', file_format: '( type = csv )', row_format: null, tbl_properties: null, partitions: null, auto_refresh: false });
    expect(sources['source.test_project.ext.people_partitioned'].external.partitions).toEqual([{ name: 'section', description: '', data_type: 'varchar', meta: {}, expression: 'substr(metadata$filename, 1, 1)' }]);
    expect(sources['source.test_project.ext.plain'].external).toBeNull();
  });
});
