import type { AdapterInfo } from '../adapters/base/adapter-info.js';
import type { SourceTable } from '../manifest/types.js';
import { isRecord } from '../util/yaml.js';
import type { ProjectLayers } from './project-layers.js';
import { externalTable } from './source-external.js';
import { tagList } from './source-precedence.js';
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
  warnings: string[],
  disabled?: Record<string, unknown[]>,
): Record<string, SourceTable> {
  const out: Record<string, SourceTable> = {};
  for (const d of decls) {
    const pkg = packageOf(d, root);
    const fqn = [pkg, ...d.file.split('/').slice(1, -1), d.sourceName, d.name];
    // dbt applies dbt_project.yml's `sources:` along this fqn: the properties file's folders, then source and table.
    const tree = treeConfig(pkg, fqn);
    const own = tree.own as Record<string, unknown>;
    const rootLayer = tree.root as Record<string, unknown>;
    // As dbt 1.10's SourceConfig: its keys in order, then any other the project or the properties set.
    const config = { enabled: true, event_time: null, freshness: null, loaded_at_field: null, loaded_at_query: null, meta: {}, tags: [], ...own, ...d.config } as SourceTable['config'];
    // As dbt 1.10: the properties' loaded_at_field (even none) and freshness (unless no level set one) win over the
    // package's dbt_project.yml; the root project's, for a package's source, over both. Freshness set nowhere: an
    // empty threshold (SourceConfig's default), not none. meta is merged and tags appended, level by level.
    config.loaded_at_field = d.loadedAtField;
    config.loaded_at_query = d.loadedAtQuery;
    config.freshness = d.freshness === 'unset' ? own.freshness : d.freshness;
    Object.assign(config, rootLayer);
    config.meta = { ...asRecord(own.meta), ...d.meta, ...asRecord(rootLayer.meta) };
    config.tags = [...new Set([...tagList(own.tags), ...d.tags, ...tagList(rootLayer.tags)])];
    if (config.enabled === false && !disabled) continue;
    config.freshness = config.freshness === null ? null : freshnessThreshold(config.freshness);
    if (hasThreshold(config.freshness as Parameters<typeof hasThreshold>[0]) && !d.loadedAtField && !adapter.capabilities.tableLastModifiedMetadata) {
      // dbt's FreshnessConfigProblem: the check will fail, as the adapter cannot read when a table last changed.
      warnings.push(`${d.file}${d.line === undefined ? '' : `:${d.line}`}: The configured adapter does not support metadata-based freshness. A loaded_at_field must be specified for source '${d.sourceName}.${d.name}'.`);
    }
    const database = d.database ?? adapter.database;
    const quote = adapter.quotePolicy;
    const q = d.quoting;
    const relation = adapter
      .makeRelation({ database, schema: d.schema, identifier: d.identifier })
      .quote({ database: q.database ?? quote.database, schema: q.schema ?? quote.schema, identifier: q.identifier ?? quote.identifier, __keywords: true });
    const uniqueId = `source.${pkg}.${d.sourceName}.${d.name}`;
    const source: SourceTable = {
      database,
      schema: d.schema,
      name: d.name,
      resource_type: 'source',
      package_name: pkg,
      path: d.file,
      original_file_path: d.file,
      unique_id: uniqueId,
      fqn,
      source_name: d.sourceName,
      source_description: d.sourceDescription,
      loader: d.loader,
      identifier: d.identifier,
      quoting: { database: null, schema: null, identifier: null, column: null, ...d.quoting },
      loaded_at_field: d.loadedAtField,
      loaded_at_query: d.loadedAtQuery,
      // The node's own fields are its config's, as in dbt 1.10 (an explicit null stays null).
      freshness: config.freshness,
      external: externalTable(d.external),
      description: d.description,
      columns: d.columns,
      meta: config.meta as Record<string, unknown>,
      source_meta: d.sourceMeta,
      tags: config.tags as string[],
      config,
      patch_path: null,
      relation_name:
        adapter.externalSource?.({ name: d.name, identifier: d.identifier, schema: d.schema, database, tags: d.tags, meta: d.meta, config, file: d.file, line: d.line }) ?? relation.render(),
      unrendered_database: d.unrenderedDatabase,
      unrendered_schema: d.unrenderedSchema,
    };
    if (config.enabled === false) (disabled![uniqueId] ??= []).push(source);
    else out[uniqueId] = source;
  }
  return out;
}

/** dbt's has_freshness: a warn_after or error_after with a count and a period. */
const hasThreshold = (f: { warn_after: FreshnessTime; error_after: FreshnessTime } | null): boolean =>
  f !== null && [f.warn_after, f.error_after].some((t) => t.count !== null && t.period !== null);
const asRecord = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});

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
