import type { ColumnNaming } from './config-types.js';

/**
 * `commitHash` → `commit_hash`, `nonAiLinesAdded` → `non_ai_lines_added`,
 * `HTTPStatus` → `http_status`; already snake_case names are unchanged.
 */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
}

/** The column name a record key lands under. Only top-level keys are renamed; struct fields keep the API's names. */
export function columnName(key: string, naming: ColumnNaming): string {
  return naming === 'snake_case' ? toSnakeCase(key) : key;
}
