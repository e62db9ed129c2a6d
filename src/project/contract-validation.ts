import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { columnTypeMissingMessage, pyList } from '../errors/contract-error.js';
import { CONSTRAINT_TYPES, isConstraintType } from '../manifest/constraint-types.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode } from '../manifest/types.js';
import { isRecord, parseYaml } from '../util/yaml.js';
import type { ResourcePatch } from './properties.js';

/**
 * Parse-time checks of model contracts and constraints (dbt checks some of
 * these at parse and some only when the model runs; all are found here, so a
 * parse reports every broken model at once):
 * - constraint `type:` must be one of dbt's types;
 * - at most one column-level primary key, and not both column- and model-level ones;
 * - a contracted model must be SQL, not ephemeral, and declare its columns in YAML,
 *   each with a `data_type`;
 * - constraints on a materialization that cannot enforce them (a view) warn.
 */

const ENFORCING_MATERIALIZATIONS = ['table', 'incremental'];

interface Located {
  file: string;
  line?: number;
}

const constraintsOf = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : []);

/**
 * A model's column lines, read once when a first error needs them
 * (validateModelContract's helpers are module functions, not closures per
 * model: the bundle, built with esbuild's keepNames, names each closure it
 * makes with a defineProperty that turns the closure's properties into a
 * dictionary, 30,000 of them at 10,000 models).
 */
interface ColumnLines {
  node: CompiledNode;
  patch: ResourcePatch | undefined;
  /** The model's package folder (the patch's file is relative to it). */
  packageRoot: string;
  yamlAt: Located;
  lines?: Map<string, number>;
}

function columnAt(c: ColumnLines, name: string): Located {
  c.lines ??= c.patch ? columnLines(c.patch, c.packageRoot) : new Map<string, number>();
  return { file: c.yamlAt.file, line: c.lines.get(name) ?? c.yamlAt.line };
}

const badType = (c: Record<string, unknown>) => c.type === undefined || !isConstraintType(String(c.type));

const typeError = (node: CompiledNode, c: Record<string, unknown>, at: Located, where: string) =>
  new TsdbtError('CONTRACT_ERROR', `Invalid constraint type on model ${node.name}: Type must be one of ${pyList([...CONSTRAINT_TYPES])}`, {
    ...at,
    hint: `${where} has ${c.type === undefined ? 'no type' : `type '${String(c.type)}'`}; use one of ${CONSTRAINT_TYPES.join(', ')}.`,
  });

/** Check one model; push what is wrong onto `errors` and `warnings`. */
export function validateModelContract(node: CompiledNode, patch: ResourcePatch | undefined, errors: TsdbtError[], warnings: string[], packageRoot: string): void {
  if (node.resource_type !== 'model') return;
  const modelConstraints = constraintsOf((node as unknown as { constraints?: unknown }).constraints);
  const columns = Object.values(node.columns ?? {});
  const yamlAt: Located = { file: patch?.file ?? node.original_file_path, line: patch?.line };
  // Column lines cost a re-read of the YAML file: only when an error needs one.
  const lines: ColumnLines = { node, patch, packageRoot, yamlAt };

  // Constraint types, on columns and on the model.
  for (const col of columns) {
    for (const c of constraintsOf(col.constraints)) if (badType(c)) errors.push(typeError(node, c, columnAt(lines, col.name), `A constraint of column '${col.name}'`));
  }
  for (const c of modelConstraints) if (badType(c)) errors.push(typeError(node, c, yamlAt, 'A model-level constraint'));

  // Primary keys (dbt's rules).
  const pkColumns = columns.filter((col) => constraintsOf(col.constraints).some((c) => c.type === 'primary_key')).map((col) => col.name);
  const pkProblems: string[] = [];
  if (pkColumns.length > 1) {
    pkProblems.push(`Found ${pkColumns.length} columns (${pyList(pkColumns)}) with primary key constraints defined. Primary keys for multiple columns must be defined as a model level constraint.`);
  }
  if (pkColumns.length > 0 && modelConstraints.some((c) => c.type === 'primary_key')) {
    pkProblems.push('Primary key constraints defined at the model level and the columns level. Primary keys can be defined at the model level or the column level, not both.');
  }
  if (pkProblems.length > 0) {
    errors.push(
      new TsdbtError('CONTRACT_ERROR', `Primary key constraint error: (${node.original_file_path})\n${pkProblems.join('\n')}`, {
        ...columnAt(lines, pkColumns[0]!),
        hint: 'Declare a multi-column primary key once, under the model\'s `constraints:` with `columns: [...]`.',
      }),
    );
  }

  // Constraints the materialization cannot enforce (views) are ignored, with dbt's warning.
  const warnUnsupported = [...columns.flatMap((col) => constraintsOf(col.constraints)), ...modelConstraints].some((c) => c.warn_unsupported !== false);
  if (warnUnsupported && !ENFORCING_MATERIALIZATIONS.includes(node.config.materialized)) {
    warnings.push(
      `${yamlAt.file}: Constraint types are not supported for ${node.config.materialized} materializations and will be ignored.  Set 'warn_unsupported: false' on this constraint to ignore this warning.`,
    );
  }

  if (node.config.contract?.enforced !== true) return;
  const failed = (problem: string, at: Located, hint: string) =>
    errors.push(new TsdbtError('CONTRACT_ERROR', `Contract enforcement failed for: (${node.original_file_path})\n${problem}`, { ...at, hint }));
  if (node.config.materialized === 'ephemeral') {
    failed(
      `Contracts are not supported for ephemeral models: '${node.name}' is materialized as 'ephemeral'.`,
      yamlAt,
      "Materialize it as a table, view or incremental model, or remove `contract: {enforced: true}` from it.",
    );
    return;
  }
  if (columns.length === 0) {
    failed(
      'Constraints must be defined in a `yml` schema configuration file like `schema.yml`.',
      yamlAt,
      `List the model's columns, each with a data_type, under \`columns:\` of '${node.name}' in a properties YAML file.`,
    );
    return;
  }
  const untyped = columns.filter((col) => col.data_type === undefined || col.data_type === null || String(col.data_type).trim() === '');
  if (untyped.length > 0) {
    errors.push(
      new TsdbtError(
        'CONTRACT_ERROR',
        columnTypeMissingMessage(untyped.map((c) => c.name)),
        { ...columnAt(lines, untyped[0]!.name), hint: `Add \`data_type:\` (e.g. \`data_type: integer\`) to column '${untyped[0]!.name}' of model '${node.name}'.` },
      ),
    );
  }
}

/** Line of each column entry of the model's YAML entry (re-read only for models being checked; empty when unreadable). */
function columnLines(patch: ResourcePatch, packageRoot: string): Map<string, number> {
  const out = new Map<string, number>();
  try {
    const y = parseYaml(readFileSync(join(packageRoot, patch.file), 'utf8'), patch.file);
    const models = isRecord(y.value) && Array.isArray(y.value.models) ? y.value.models : [];
    const entry = models.find((m) => isRecord(m) && String(m.name) === patch.name);
    const cols = isRecord(entry) && Array.isArray(entry.columns) ? entry.columns : [];
    cols.forEach((c, i) => {
      const line = y.itemLine(cols, i);
      if (isRecord(c) && c.name !== undefined && line !== undefined && !out.has(String(c.name))) out.set(String(c.name), line);
    });
  } catch {
    // The properties file parsed once already; if it cannot be re-read, errors point at the model's entry.
  }
  return out;
}
