import type { AdapterInfo } from '../adapters/base/adapter-info.js';
import type { SourceTable } from '../manifest/types.js';
import { isRecord } from '../util/yaml.js';
import type { ProjectLayers } from './project-layers.js';
import { externalTable } from './source-external.js';
import type { ProjectConfig } from './project-config.js';
import type { SourceTableDecl } from './properties.js';

/**
 * Source tables from properties YAML, with the project's `sources:` config applied. A disabled one goes to
 * `disabled` (dbt's manifest.disabled) when given.
 */
export function buildSources(
  decls: SourceTableDecl[],
  adapter: AdapterInfo,
  root: ProjectConfig,
  treeConfig: (pkg: string, fqn: string[]) => ProjectLayers,
  _warnings: string[],
  disabled?: Record<string, unknown[]>,
): Record<string, SourceTable> {
  const out: Record<string, SourceTable> = {};
  for (const d of decls) {
    const pkg = packageOf(d, root);
    const fqn = [pkg, ...d.file.split('/').slice(1, -1), d.sourceName, d.name];
    // dbt applies dbt_project.yml's `sources:` along this fqn: the properties file's folders, then source and table.
    const tree = treeConfig(pkg, fqn);
    const config = { enabled: true, ...tree.own, ...d.config } as SourceTable['config'];
    // As dbt 1.10: the properties' loaded_at_field (even none) and freshness (unless no level set one) win over the
    // package's dbt_project.yml; the root project's, for a package's source, over both. Freshness set nowhere: an
    // empty threshold (SourceConfig's default), not none.
    config.loaded_at_field = d.loadedAtField;
    config.freshness = d.freshness === 'unset' ? tree.own.freshness : d.freshness;
    Object.assign(config, tree.root);
    if (config.enabled === false && !disabled) continue;
    config.freshness = config.freshness === null ? null : freshnessThreshold(config.freshness);
    const database = d.database ?? adapter.database;
    const quote = adapter.quotePolicy;
    const q = d.quoting;
    const relation = adapter
      .makeRelation({ database, schema: d.schema, identifier: d.identifier })
      .quote({ database: q.database ?? quote.database, schema: q.schema ?? quote.schema, identifier: q.identifier ?? quote.identifier, __keywords: true });
    const uniqueId = `source.${pkg}.${d.sourceName}.${d.name}`;
    const source: SourceTable = {
      unique_id: uniqueId,
      resource_type: 'source',
      package_name: pkg,
      name: d.name,
      source_name: d.sourceName,
      source_description: d.sourceDescription,
      path: d.file,
      original_file_path: d.file,
      fqn,
      description: d.description,
      tags: d.tags,
      meta: d.meta,
      loader: d.loader,
      identifier: d.identifier,
      database,
      schema: d.schema,
      relation_name:
        adapter.externalSource?.({ name: d.name, identifier: d.identifier, schema: d.schema, database, tags: d.tags, meta: d.meta, config, file: d.file, line: d.line }) ?? relation.render(),
      loaded_at_field: d.loadedAtField,
      // The node's own fields are its config's, as in dbt 1.10 (an explicit null stays null).
      freshness: config.freshness,
      quoting: d.quoting,
      external: externalTable(d.external),
      columns: d.columns,
      config,
      source_meta: d.sourceMeta,
      patch_path: null,
    };
    if (config.enabled === false) (disabled![uniqueId] ??= []).push(source);
    else out[uniqueId] = source;
  }
  return out;
}

function packageOf(d: SourceTableDecl, _root: ProjectConfig): string {
  return d.package;
}

/**
 * A source's freshness as dbt's source nodes carry it (packages read
 * `node.freshness.warn_after.count` from `graph.sources`): warn_after and
 * error_after always present, their count and period null when not set.
 */
export function freshnessThreshold(raw: unknown): { warn_after: FreshnessTime; error_after: FreshnessTime; filter: unknown } {
  const r = isRecord(raw) ? raw : {};
  const time = (t: unknown): FreshnessTime => (isRecord(t) ? { count: (t.count as number | undefined) ?? null, period: (t.period as string | undefined) ?? null } : { count: null, period: null });
  return { warn_after: time(r.warn_after), error_after: time(r.error_after), filter: r.filter ?? null };
}

interface FreshnessTime {
  count: number | null;
  period: string | null;
}
