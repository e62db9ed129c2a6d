import type { AdapterInfo } from '../adapters/base/adapter-info.js';
import type { SourceTable } from '../manifest/types.js';
import type { ConfigLayer } from './config-merge.js';
import type { ProjectConfig } from './project-config.js';
import type { SourceTableDecl } from './properties.js';

/** Source tables from properties YAML, with the project's `sources:` config applied. */
export function buildSources(
  decls: SourceTableDecl[],
  adapter: AdapterInfo,
  root: ProjectConfig,
  treeConfig: (pkg: string, fqn: string[]) => ConfigLayer,
  _warnings: string[],
): Record<string, SourceTable> {
  const out: Record<string, SourceTable> = {};
  for (const d of decls) {
    const pkg = packageOf(d, root);
    const fqn = [pkg, ...d.file.split('/').slice(1, -1), d.sourceName, d.name];
    const config = { enabled: true, ...treeConfig(pkg, [pkg, d.sourceName, d.name]), ...d.config } as SourceTable['config'];
    if (config.enabled === false) continue;
    const database = d.database ?? adapter.database;
    const quote = adapter.quotePolicy;
    const q = d.quoting;
    const relation = adapter
      .makeRelation({ database, schema: d.schema, identifier: d.identifier })
      .quote({ database: q.database ?? quote.database, schema: q.schema ?? quote.schema, identifier: q.identifier ?? quote.identifier, __keywords: true });
    const uniqueId = `source.${pkg}.${d.sourceName}.${d.name}`;
    out[uniqueId] = {
      unique_id: uniqueId,
      resource_type: 'source',
      package_name: pkg,
      name: d.name,
      source_name: d.sourceName,
      source_description: d.sourceDescription,
      path: d.file,
      original_file_path: d.file,
      root_path: root.root,
      fqn,
      description: d.description,
      tags: d.tags,
      meta: d.meta,
      loader: d.loader,
      identifier: d.identifier,
      database,
      schema: d.schema,
      relation_name: relation.render(),
      loaded_at_field: d.loadedAtField,
      freshness: d.freshness,
      quoting: d.quoting,
      columns: d.columns,
      config,
      source_meta: d.sourceMeta,
      patch_path: null,
    };
  }
  return out;
}

function packageOf(d: SourceTableDecl, _root: ProjectConfig): string {
  return d.package;
}
