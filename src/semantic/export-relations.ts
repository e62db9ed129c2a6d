import type { SemanticManifest } from './types.js';

/**
 * Fills in each saved query export's relation as dbt's saved query parser does: export_as and schema from the
 * export's config, else the saved query's; a schema left unset is the one generate_schema_name gives an export with
 * no custom schema (the target's, under dbt's default macro: tsdbt does not render a project's own macro for
 * exports), the database the configured one or the target's, the alias the configured one or the export's name.
 */
export function resolveExportRelations(sm: SemanticManifest, target: { schema?: unknown; database?: unknown }): void {
  const targetSchema = typeof target.schema === 'string' ? target.schema : null;
  const targetDatabase = typeof target.database === 'string' ? target.database : null;
  for (const q of sm.savedQueries) {
    for (const e of q.exports) {
      e.exportAs ??= q.exportAs;
      e.schema ??= q.schema ?? targetSchema;
      e.database ??= targetDatabase;
      e.alias ??= e.name;
    }
  }
}
