import { pyError } from '../../jinja/python/index.js';
import { exposeMembers } from '../../jinja/index.js';

/** Which parts of a relation's name a policy covers. */
export interface PolicyParts {
  database: boolean;
  schema: boolean;
  identifier: boolean;
}

/**
 * dbt's Policy, as `api.Relation.get_default_quote_policy()` and
 * `get_default_include_policy()` return it: `database`, `schema`,
 * `identifier` and `get_part(name)` (elementary reads the default quoting
 * of identifiers so).
 */
export class Policy {
  readonly database: boolean;
  readonly schema: boolean;
  readonly identifier: boolean;

  constructor(parts: PolicyParts, private readonly className = 'Policy') {
    this.database = parts.database;
    this.schema = parts.schema;
    this.identifier = parts.identifier;
  }

  get_part(key: unknown): boolean {
    if (key === 'database' || key === 'schema' || key === 'identifier') return this[key];
    throw pyError('ValueError', `Got a key of ${String(key)}, expected one of ['database', 'schema', 'identifier']`);
  }

  __repr__(): string {
    const b = (v: boolean) => (v ? 'True' : 'False');
    return `${this.className}(database=${b(this.database)}, schema=${b(this.schema)}, identifier=${b(this.identifier)})`;
  }

  __str__(): string {
    return this.__repr__();
  }
}

exposeMembers(Policy, ['database', 'schema', 'identifier', 'get_part']);
