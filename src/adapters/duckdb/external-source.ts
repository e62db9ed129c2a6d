import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { ExternalSourceFields } from '../base/adapter-info.js';

/**
 * A source table read from files, as dbt-duckdb renders it: the
 * `external_location` of its `meta` or `config` (config wins), formatted with
 * the table's fields (`{name}`, `{identifier}`, `{schema}`, `{database}`,
 * `{tags}` and every meta/config key) by the `formatter` (`newstyle`, the
 * default: Python's `str.format`; `oldstyle`: `%(name)s`; `template`:
 * `${name}`), then turned into the file reader its extension calls for:
 * `read_parquet('…')`, `read_csv('…')`, `read_json('…')`; a location that is
 * already a function call or a quoted literal is used as written; any other
 * path becomes a quoted literal (DuckDB picks the reader). Null when the
 * source is a table.
 */
export function externalSourceSql(source: ExternalSourceFields): string | null {
  const values: Record<string, unknown> = { ...source.meta, ...source.config };
  const template = values.external_location;
  if (template === undefined || template === null || template === '') return null;
  const fields: Record<string, unknown> = { name: source.name, identifier: source.identifier, schema: source.schema, database: source.database, tags: source.tags, ...values };
  const formatter = String(values.formatter ?? 'newstyle');
  const where = { file: source.file, line: source.line };
  const missing = (key: string) =>
    new TsdbtError('COMPILER_ERROR', `Source '${source.name}': external_location '${String(template)}' uses {${key}}, which the source does not define`, {
      ...where,
      hint: `Use one of name, identifier, schema, database, tags, or a key of the source's meta/config (${Object.keys(values).join(', ')}).`,
    });
  let location: string;
  if (formatter === 'newstyle') location = formatNewStyle(String(template), fields, missing);
  else if (formatter === 'oldstyle') location = String(template).replace(/%\(([^)]+)\)s/g, (_, k: string) => (k in fields ? pyText(fields[k]) : thrower(missing(k))));
  else if (formatter === 'template') location = String(template).replace(/\$(?:\{(\w+)\}|(\w+))/g, (_, a: string, b: string) => ((a ?? b) in fields ? pyText(fields[a ?? b]) : thrower(missing(a ?? b))));
  else {
    throw new TsdbtError('COMPILER_ERROR', `Source '${source.name}': formatter '${formatter}' is not recognised`, { ...where, hint: "Use 'newstyle' (the default), 'oldstyle' or 'template'." });
  }
  return fileReader(location);
}

/** The reader for a location: a call or quoted literal as is; else by extension (compression suffixes ignored). */
export function fileReader(location: string): string {
  const trimmed = location.trim();
  if (trimmed.includes('(') || trimmed.startsWith("'")) return trimmed;
  const literal = `'${trimmed.split("'").join("''")}'`;
  const ext = /\.([a-z0-9]+)$/i.exec(trimmed.replace(/\.(gz|gzip|zst|zstd|bz2|lz4|snappy)$/i, ''))?.[1]?.toLowerCase();
  if (ext === 'parquet') return `read_parquet(${literal})`;
  if (ext === 'csv' || ext === 'tsv') return `read_csv(${literal})`;
  if (ext === 'json' || ext === 'ndjson' || ext === 'jsonl') return `read_json(${literal})`;
  return literal;
}

function thrower(e: Error): never {
  throw e;
}

/** Python's str() of a template value (lists as ['a', 'b'], None, True). */
function pyText(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'string' ? `'${x}'` : pyText(x))).join(', ')}]`;
  return String(v);
}

/** Python's `str.format_map`: `{key}` (a `!conversion` or `:spec` after it is ignored), `{{` and `}}` as braces. */
function formatNewStyle(template: string, fields: Record<string, unknown>, missing: (key: string) => Error): string {
  return template.replace(/\{\{|\}\}|\{([^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}/g, (m, key: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const k = (key ?? '').trim();
    if (!(k in fields)) throw missing(k);
    return pyText(fields[k]);
  });
}
