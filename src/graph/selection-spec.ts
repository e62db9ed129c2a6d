/**
 * The parsed form of a node selection (`--select`, `--exclude`, a YAML
 * selector). Parse once with `parseSelection` / `loadSelectorsYaml`, then
 * evaluate any number of times with `selectNodes`. Plain data: it can be
 * logged or serialised.
 */

/** How tests (and unit tests) attached to selected nodes are pulled in. */
export type IndirectSelection = 'eager' | 'cautious' | 'buildable' | 'empty';

export const INDIRECT_SELECTION_MODES: readonly IndirectSelection[] = ['eager', 'cautious', 'buildable', 'empty'];

/** Selection methods tsdbt evaluates (dbt's names). */
export type MethodName =
  | 'fqn'
  | 'tag'
  | 'path'
  | 'file'
  | 'package'
  | 'config'
  | 'resource_type'
  | 'source'
  | 'exposure'
  | 'metric'
  | 'semantic_model'
  | 'saved_query'
  | 'test_name'
  | 'test_type'
  | 'group'
  | 'access'
  | 'version'
  | 'state'
  | 'result'
  | 'source_status';

/** One `method:value` with its graph operators, e.g. `2+tag:nightly+` or `@stg_a`. */
export interface SelectionCriterion {
  kind: 'criterion';
  /** The text as written (for messages). */
  raw: string;
  method: MethodName;
  /** `config.meta.owner` → ['meta', 'owner']; empty for other methods. */
  methodArgs: string[];
  value: string;
  /**
   * True when no method was written and `fqn` was chosen by default: at
   * evaluation a value naming a project directory or file is treated as a
   * path, as dbt does when `Path(value).exists()`.
   */
  defaultMethod: boolean;
  parents: boolean;
  /** Undefined = unlimited. */
  parentsDepth?: number;
  children: boolean;
  childrenDepth?: number;
  /** `@`: the node, its descendants and all their ancestors. */
  childrensParents: boolean;
  /** Overrides the run's indirect selection (YAML `indirect_selection:`). */
  indirectSelection?: IndirectSelection;
}

/**
 * A set operation over components: union (space), intersection (comma),
 * difference (first minus the rest: `--exclude`, YAML `exclude:`).
 */
export interface SelectionSet {
  kind: 'union' | 'intersection' | 'difference';
  components: SelectionSpec[];
  raw: string;
  /** Warn "does not match any enabled nodes" when this set selects nothing (each CLI `a,b` term). */
  expectExists: boolean;
  indirectSelection?: IndirectSelection;
}

export type SelectionSpec = SelectionCriterion | SelectionSet;

/** What `--select` means when it is not given (dbt's DEFAULT_INCLUDES): every resource; `fqn:*` alone covers all but sources. */
export const DEFAULT_INCLUDES: readonly string[] = ['fqn:*', 'source:*', 'exposure:*', 'metric:*', 'semantic_model:*'];
