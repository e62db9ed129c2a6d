import { TsdbtError } from './tsdbt-error.js';

/** A column as the contract check formats it: its name and the database's name for its type. */
export interface ContractColumn {
  name: string;
  data_type: string;
}

const HEADER = ['column_name', 'definition_type', 'contract_type', 'mismatch_reason'] as const;
/** Cells wider than this are cut with an ellipsis, as dbt prints the table. */
const MAX_CELL = 50;

/**
 * The mismatches between the model's columns (`sql`) and its YAML contract
 * (`yaml`), one row per column, sorted by column name, as dbt reports them:
 * a type that differs, a column the contract lacks, a column the query lacks.
 */
export function contractMismatches(yaml: ContractColumn[], sql: ContractColumn[]): string[][] {
  const rows: string[][] = [];
  const sqlNames = new Set<string>();
  for (const s of sql) {
    sqlNames.add(s.name);
    const y = yaml.find((c) => c.name === s.name);
    if (!y) rows.push([s.name, s.data_type, '', 'missing in contract']);
    else if (y.data_type !== s.data_type) rows.push([s.name, s.data_type, y.data_type, 'data type mismatch']);
  }
  for (const y of yaml) if (!sqlNames.has(y.name)) rows.push([y.name, '', y.data_type, 'missing in definition']);
  return rows.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
}

/** A table printed as `| a | b |` rows under a `| - | - |` rule, columns padded to their widest cell. */
export function printTable(header: readonly string[], rows: string[][]): string {
  const cut = (s: string) => (s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 3)}...` : s);
  const cells = [header.map(cut), ...rows.map((r) => r.map(cut))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(cells[0]!), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}

/** dbt's ContractError message: the model's columns do not match its enforced contract. */
export function contractErrorMessage(yaml: ContractColumn[], sql: ContractColumn[]): string {
  if (yaml.length === 0) return "This model has an enforced contract, and its 'columns' specification is missing";
  return (
    'This model has an enforced contract that failed.\n' +
    "Please ensure the name, data_type, and number of columns in your contract match the columns in your model's definition.\n\n" +
    printTable(HEADER, contractMismatches(yaml, sql))
  );
}

/** The error a contracted model fails with; `file` is the model's SQL file. */
export function contractError(yaml: ContractColumn[], sql: ContractColumn[], file?: string): TsdbtError {
  return new TsdbtError('CONTRACT_ERROR', contractErrorMessage(yaml, sql), {
    file,
    hint: "Change the model's select (names, casts) or the columns and data_type entries of its YAML so they agree.",
  });
}

/** dbt's message for contracted columns without a data_type. */
export function columnTypeMissingMessage(columns: string[]): string {
  return (
    'Contracted models require data_type to be defined for each column. ' +
    `Please ensure that the column name and data_type are defined within the YAML configuration for the ${pyList(columns)} column(s).`
  );
}

/** A list of names as Python prints it: `['a', 'b']`. */
export function pyList(names: string[]): string {
  return `[${names.map((n) => `'${n.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]`;
}

/** Columns as templates pass them (dicts with `name` and `data_type`), for the contract check. */
export function contractColumns(v: unknown): ContractColumn[] {
  return (Array.isArray(v) ? v : []).map((c) => ({ name: String((c as Record<string, unknown>).name), data_type: String((c as Record<string, unknown>).data_type ?? '') }));
}

/** dbt's `exceptions.column_type_missing`: contracted columns without a data_type. */
export function columnTypeMissingError(columns: string[], file?: string): TsdbtError {
  return new TsdbtError('CONTRACT_ERROR', columnTypeMissingMessage(columns), {
    file,
    hint: "Give each of those columns a data_type in the model's properties YAML.",
  });
}
