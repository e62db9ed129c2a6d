/**
 * The warning a YAML mapping with a key written twice gets (dbt 1.10 warns,
 * the last value wins), and reading a file back from one: the YAML reader
 * writes it, the parse cache replays it per file, the CLI names it as dbt's
 * DuplicateYAMLKeysDeprecation.
 */
export function duplicateKeyWarning(file: string, line: number, key: string, first: number): string {
  return `${file}:${line}: duplicate key '${key}' in a mapping (first at line ${first}); the last value is used.`;
}

const DUPLICATE_KEY_WARNING = /^(.+?):\d+: duplicate key '.*' in a mapping \(first at line \d+\); the last value is used\.$/s;

/** The file a duplicate-key warning names, or undefined for any other warning. */
export function duplicateKeyWarningFile(warning: string): string | undefined {
  return DUPLICATE_KEY_WARNING.exec(warning)?.[1];
}
