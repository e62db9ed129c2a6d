import type { AdapterInfo } from '../base/adapter-info.js';
import { columnApi } from '../base/column.js';
import { addQueryComment } from '../base/query-comment.js';
import { Relation, type QuotePolicy, type RelationFlavor } from '../base/relation.js';
import { splitStatements } from './split-statements.js';

/** SnowflakeRelation: limited refs render without an alias, so the model's own alias applies. */
const SNOWFLAKE_RELATION: RelationFlavor = {
  className: 'SnowflakeRelation',
  requireAlias: false,
  defaultQuotePolicy: { database: false, schema: false, identifier: false },
  quotePolicyClass: 'SnowflakeQuotePolicy',
};

/**
 * Snowflake as parse and compile see it: identifiers unquoted by default
 * (Snowflake folds them to upper case), so relations render as
 * `analytics.dbt_schema.stg_a`, as dbt-snowflake renders them.
 */
export function snowflakeAdapterInfo(credentials: Record<string, unknown>, quoting: Record<string, unknown> = {}): AdapterInfo {
  const quotePolicy: QuotePolicy = {
    database: Boolean(quoting.database ?? false),
    schema: Boolean(quoting.schema ?? false),
    identifier: Boolean(quoting.identifier ?? false),
  };
  return {
    type: 'snowflake',
    column: columnApi(),
    adapterChain: ['snowflake'],
    quoteChar: '"',
    quotePolicy,
    capabilities: {
      supportsTransactionalDdl: false,
      supportsMerge: true,
      atomicCreateOrReplace: true,
      identifierCase: 'upper',
      foreignKeyNamesDatabase: true,
      defaultIncrementalStrategy: 'merge',
      // dbt-snowflake's but insert_overwrite, which tsdbt does not build
      incrementalStrategies: ['append', 'merge', 'delete+insert', 'microbatch'],
      microbatchConcurrency: true,
      tableLastModifiedMetadata: true,
    },
    database: typeof credentials.database === 'string' ? credentials.database : null,
    schema: typeof credentials.schema === 'string' ? credentials.schema : 'public',
    makeRelation: (spec) => new Relation(spec, quotePolicy, '"', undefined, undefined, SNOWFLAKE_RELATION),
    relationFlavor: SNOWFLAKE_RELATION,
    quote: (identifier) => `"${identifier.split('"').join('""')}"`,
    // Snowflake's information_schema belongs to one database: a relation elsewhere is described by that database's.
    // dbt-snowflake appends the query comment (Snowflake strips a leading one) and puts it on every statement of a script.
    queryCommentAppends: true,
    commentStatements: (sql, comment) => {
      const statements = splitStatements(sql);
      return statements.length <= 1 ? addQueryComment(statements[0] ?? sql, comment) : statements.map((s) => addQueryComment(s, comment)).join(';\n');
    },
    informationSchema: (database) => (database ? `${quotePolicy.database ? `"${database.split('"').join('""')}"` : database}.information_schema` : 'information_schema'),
  };
}
