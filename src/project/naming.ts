/**
 * Where a node is built: schema, alias and database, by dbt's default
 * generate_*_name macros. The parse phase calls these directly when the
 * project does not override the macros (the common case, and the fast one);
 * src/include/global/macros/naming.sql holds the same rules as Jinja.
 */
export function defaultSchemaName(targetSchema: string, custom: string | null | undefined): string {
  if (custom === null || custom === undefined) return targetSchema;
  // The last answer again when asked the same (every generic test asks for `<schema>_dbt_test__audit`): one string, not one a test.
  if (lastSchema === undefined || targetSchema !== lastSchema.target || custom !== lastSchema.custom) lastSchema = { target: targetSchema, custom, name: `${targetSchema}_${custom.trim()}` };
  return lastSchema.name;
}

let lastSchema: { target: string; custom: string; name: string } | undefined;

export function defaultAliasName(nodeName: string, custom: string | null | undefined, version?: string | number | null): string {
  if (custom) return custom.trim();
  if (version !== null && version !== undefined && version !== '') return `${nodeName}_v${String(version).replace(/\./g, '_')}`;
  return nodeName;
}

export function defaultDatabaseName(targetDatabase: string | null, custom: string | null | undefined): string | null {
  return custom === null || custom === undefined ? targetDatabase : custom.trim();
}
