/**
 * The one error type tsdbt raises for anything a user can fix.
 *
 * Every error carries a stable `code` (users search for it, tests assert it),
 * a message quoting the offending input, and where known the file and line
 * it came from plus a hint saying what would fix it. This module imports
 * nothing so every layer can use it.
 */
export type ErrorCode =
  | 'YAML_SYNTAX'
  | 'YAML_SCHEMA'
  | 'YAML_ALIAS_CYCLE'
  | 'YAML_ALIAS_LIMIT'
  | 'PROJECT_NOT_FOUND'
  | 'PROJECT_INVALID'
  | 'PROFILE_NOT_FOUND'
  | 'PROFILE_INVALID'
  | 'TARGET_NOT_FOUND'
  | 'TARGET_WRITE'
  | 'EXTERNAL_LOCATION'
  | 'ENV_VAR_MISSING'
  | 'SECRET_ENV_VAR_LOCATION'
  | 'VAR_MISSING'
  | 'JINJA_SYNTAX'
  | 'JINJA_RENDER'
  | 'COMPILER_ERROR'
  | 'MACRO_NOT_FOUND'
  | 'REF_NOT_FOUND'
  | 'SOURCE_NOT_FOUND'
  | 'DOC_NOT_FOUND'
  | 'DUPLICATE_NODE'
  | 'REF_ACCESS'
  | 'DUPLICATE_RELATION'
  | 'SNAPSHOT_CONFIG'
  | 'CONTRACT_ERROR'
  | 'CYCLE'
  | 'SELECTOR_INVALID'
  | 'STATE_REQUIRED'
  | 'STATE_INVALID'
  | 'DEFER_MISSING'
  | 'MICROBATCH_CONFIG'
  | 'TEST_NOT_FOUND'
  | 'UNIT_TEST_INVALID'
  | 'DATABASE_ERROR'
  | 'DATABASE_OPEN'
  | 'PACKAGE_ERROR'
  | 'EXTRACT_CONFIG'
  | 'EXTRACT_HTTP'
  | 'EXTRACT_VALIDATION'
  | 'EXTRACT_COUNT'
  | 'EXTRACT_LANDING'
  | 'SNOWFLAKE_ERROR'
  | 'SIM_CONFIG'
  | 'SEMANTIC_INVALID'
  | 'QUERY_UNKNOWN_METRIC'
  | 'QUERY_UNKNOWN_GROUP_BY'
  | 'QUERY_AMBIGUOUS_GROUP_BY'
  | 'QUERY_GRAIN'
  | 'QUERY_JOIN_PATH'
  | 'QUERY_FILTER'
  | 'QUERY_LIMIT'
  | 'QUERY_TIME_RANGE'
  | 'QUERY_INVALID'
  | 'QUERY_UNSUPPORTED'
  | 'QUERY_TIMEOUT'
  | 'USAGE'
  | 'WARN_ERROR'
  | 'INTERNAL';

export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
}

export interface TsdbtErrorOptions extends ErrorLocation {
  hint?: string;
  cause?: unknown;
  /** Extra structured detail (e.g. the compiled SQL path, a database error code). */
  detail?: Record<string, unknown>;
}

export class TsdbtError extends Error {
  readonly code: ErrorCode;
  file?: string;
  line?: number;
  column?: number;
  hint?: string;
  detail?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: TsdbtErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TsdbtError';
    this.code = code;
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
    this.hint = options.hint;
    this.detail = options.detail;
  }

  /** Fill in a location the thrower did not know (e.g. the file a macro was called from). */
  /**
   * Name the node whose rendering raised an error located in another file
   * (a macro): `> called by model m (models/m.sql)`, as dbt's stack does.
   */
  calledBy(what: string, file: string): this {
    if (this.file !== undefined && this.file !== file && !this.message.includes(`> called by ${what} `)) {
      this.message = `${this.message}\n  > called by ${what} (${file})`;
    }
    return this;
  }

  withLocation(location: ErrorLocation): this {
    if (this.file === undefined && location.file !== undefined) {
      this.file = location.file;
      this.line = location.line;
      this.column = location.column;
    } else if (this.file === location.file && this.line === undefined) {
      this.line = location.line;
    }
    return this;
  }

  /** `file:line: message (hint)`: the form every user-facing error is printed in. */
  format(): string {
    const where = this.file ? `${this.file}${this.line !== undefined ? `:${this.line}` : ''}: ` : '';
    const hint = this.hint ? `\n  ${this.hint}` : '';
    return `${where}${this.message}${hint}`;
  }
}

/** Several errors found in one pass (a parse reports every broken file at once). */
export class TsdbtErrorList extends Error {
  readonly errors: TsdbtError[];
  constructor(errors: TsdbtError[]) {
    super(errors.map((e) => e.format()).join('\n'));
    this.name = 'TsdbtErrorList';
    this.errors = errors;
  }
}

export function isTsdbtError(e: unknown): e is TsdbtError {
  return e instanceof TsdbtError;
}
