import { TsdbtError } from '../../errors/tsdbt-error.js';
import { CONSTRAINT_TYPES, isConstraintType, type ConstraintType } from '../../manifest/constraint-types.js';

export { CONSTRAINT_TYPES, isConstraintType, type ConstraintType };

/**
 * Model contracts' constraints (`constraints:` on a column or a model in
 * properties YAML) rendered as DDL, with dbt's rules for what each adapter
 * enforces: an enforced constraint is rendered; one the database accepts but
 * does not enforce is rendered with a warning; one it does not support is
 * left out with a warning. `warn_unenforced: false` / `warn_unsupported: false`
 * on a constraint silence those warnings.
 */

export type ConstraintSupport = 'enforced' | 'not_enforced' | 'not_supported';

/** What an adapter does with each constraint type (custom constraints are always rendered as written). */
export type ConstraintSupportMap = Record<Exclude<ConstraintType, 'custom'>, ConstraintSupport>;

/** dbt's base adapter defaults, used for adapters not listed below. */
const DEFAULT_SUPPORT: ConstraintSupportMap = { check: 'not_supported', not_null: 'enforced', unique: 'not_enforced', primary_key: 'not_enforced', foreign_key: 'enforced' };

/**
 * Per adapter type, as its dbt adapter declares it. DuckDB enforces all of
 * them; Snowflake only enforces not null, keeps unique/primary/foreign keys
 * as metadata and has no check constraints.
 */
const SUPPORT: Record<string, ConstraintSupportMap> = {
  duckdb: { check: 'enforced', not_null: 'enforced', unique: 'enforced', primary_key: 'enforced', foreign_key: 'enforced' },
  snowflake: { check: 'not_supported', not_null: 'enforced', unique: 'not_enforced', primary_key: 'not_enforced', foreign_key: 'not_enforced' },
};

export function constraintSupportOf(adapterType: string): ConstraintSupportMap {
  return SUPPORT[adapterType] ?? DEFAULT_SUPPORT;
}

/** One constraint as written in YAML, after validation. */
export interface Constraint {
  type: ConstraintType;
  name?: string;
  expression?: string;
  warn_unenforced: boolean;
  warn_unsupported: boolean;
  to?: string;
  to_columns: string[];
  /** Model-level constraints only: the columns it spans. */
  columns: string[];
}

/** What rendering needs from the adapter: its type, identifier quoting and a warning sink. */
export interface ConstraintRenderer {
  adapterType: string;
  quote(identifier: string): string;
  warn(message: string): void;
}

const text = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);

/** Whether `type` names one of dbt's constraint types. */
/** Why a raw constraint is not one dbt accepts, or undefined when it is valid. */
export function constraintProblem(raw: unknown): string | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return 'a constraint must be a mapping with a `type:`';
  const type = (raw as Record<string, unknown>).type;
  if (type === undefined) return 'the constraint has no `type:`';
  if (!isConstraintType(String(type))) return `'${String(type)}' is not a constraint type`;
  return undefined;
}

/** Read a raw YAML constraint; throws dbt's "Could not parse constraint" when it is not one. */
export function parseConstraint(raw: unknown): Constraint {
  const problem = constraintProblem(raw);
  if (problem) {
    throw new TsdbtError('CONTRACT_ERROR', `Could not parse constraint: ${JSON.stringify(raw)}`, {
      hint: `${problem}; use one of ${CONSTRAINT_TYPES.join(', ')}.`,
    });
  }
  const r = raw as Record<string, unknown>;
  return {
    type: String(r.type) as ConstraintType,
    name: text(r.name),
    expression: text(r.expression),
    warn_unenforced: r.warn_unenforced !== false,
    warn_unsupported: r.warn_unsupported !== false,
    to: text(r.to),
    to_columns: strings(r.to_columns),
    columns: strings(r.columns),
  };
}

/** A constraint's DDL on its column (`not null`, `check (x > 0)`, `references t (id)`), or undefined when there is nothing to render. */
export function renderColumnConstraint(c: Constraint): string | undefined {
  const expr = c.expression ?? '';
  let out: string | undefined;
  switch (c.type) {
    case 'check':
      out = expr ? `check (${expr})` : undefined;
      break;
    case 'not_null':
      out = `not null ${expr}`;
      break;
    case 'unique':
      out = `unique ${expr}`;
      break;
    case 'primary_key':
      out = `primary key ${expr}`;
      break;
    case 'foreign_key':
      out = c.to && c.to_columns.length > 0 ? `references ${c.to} (${c.to_columns.join(', ')})` : expr ? `references ${expr}` : undefined;
      break;
    case 'custom':
      out = expr || undefined;
      break;
  }
  return out?.trim();
}

/** A model-level constraint's DDL (`constraint pk primary key (a, b)`), or undefined. */
export function renderModelConstraint(c: Constraint): string | undefined {
  const prefix = c.name ? `constraint ${c.name} ` : '';
  const cols = c.columns.join(', ');
  const expr = c.expression ? ` ${c.expression}` : '';
  switch (c.type) {
    case 'check':
      return c.expression ? `${prefix}check (${c.expression})` : undefined;
    case 'unique':
      return `${prefix}unique${expr} (${cols})`;
    case 'primary_key':
      return `${prefix}primary key${expr} (${cols})`;
    case 'foreign_key':
      if (c.to && c.to_columns.length > 0) return `${prefix}foreign key (${cols}) references ${c.to} (${c.to_columns.join(', ')})`;
      return c.expression ? `${prefix}foreign key (${cols}) references ${c.expression}` : undefined;
    case 'custom':
      return c.expression ? `${prefix}${c.expression}` : undefined;
    case 'not_null':
      // Not null is a column property; at the model level there is nothing to render.
      return undefined;
  }
}

/** Apply the adapter's support for `c`: warn as dbt does, and render unless unsupported. */
function processConstraint(c: Constraint, r: ConstraintRenderer, render: (c: Constraint) => string | undefined): string | undefined {
  if (c.type === 'custom') return render(c);
  const support = constraintSupportOf(r.adapterType)[c.type];
  if (support === 'not_supported' && c.warn_unsupported) {
    r.warn(`The constraint type ${c.type} is not supported by ${r.adapterType}, and will be ignored. Set 'warn_unsupported: false' on this constraint to ignore this warning.`);
  }
  if (support === 'not_enforced' && c.warn_unenforced) {
    r.warn(
      `The constraint type ${c.type} is not enforced by ${r.adapterType}. The constraint will be included in this model's DDL statement, but it will not guarantee anything about the underlying data. Set 'warn_unenforced: false' on this constraint to ignore this warning.`,
    );
  }
  return support === 'not_supported' ? undefined : render(c);
}

/** A column of the model's `columns` dict, as the contract DDL needs it. */
export interface ContractColumnSpec {
  name: string;
  data_type?: string | null;
  quote?: boolean | null;
  constraints?: unknown[];
}

/** `adapter.render_raw_columns_constraints`: one `name type constraints...` entry per YAML column, in YAML order. */
export function renderColumnsConstraints(columns: Record<string, ContractColumnSpec>, r: ConstraintRenderer): string[] {
  return Object.values(columns).map((col) => {
    const parts = [`${col.quote ? r.quote(col.name) : col.name} ${col.data_type ?? ''}`.trimEnd()];
    for (const raw of col.constraints ?? []) {
      const rendered = processConstraint(parseConstraint(raw), r, renderColumnConstraint);
      if (rendered) parts.push(rendered);
    }
    return parts.join(' ');
  });
}

/** `adapter.render_raw_model_constraints`: the model-level constraints that render. */
export function renderModelConstraints(constraints: unknown[], r: ConstraintRenderer): string[] {
  const out: string[] = [];
  for (const raw of constraints ?? []) {
    const rendered = processConstraint(parseConstraint(raw), r, renderModelConstraint);
    if (rendered) out.push(rendered);
  }
  return out;
}
