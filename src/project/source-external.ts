import { isRecord } from '../util/yaml.js';

/**
 * A source table's `external:` property as dbt's ExternalTable holds it (manifest.json and `graph.sources`, where
 * packages such as dbt-external-tables read it): location, file_format, row_format, tbl_properties and partitions
 * always present (null when not set), any other key kept as written after them; each partition given as a mapping
 * gets dbt's ExternalPartition defaults (description '', meta {}). Null when the table has no `external:`.
 */
export function externalTable(raw: unknown): Record<string, unknown> | null {
  if (!isRecord(raw)) return null;
  const { location = null, file_format = null, row_format = null, tbl_properties = null, partitions = null, ...extra } = raw;
  return { location, file_format, row_format, tbl_properties, partitions: Array.isArray(partitions) ? partitions.map(partition) : partitions, ...extra };
}

function partition(p: unknown): unknown {
  if (!isRecord(p)) return p;
  const { name = '', description = '', data_type = '', meta = {}, ...extra } = p;
  return { name, description, data_type, meta, ...extra };
}
