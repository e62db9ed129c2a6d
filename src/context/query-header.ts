/**
 * dbt's query comment (`query-comment:` in dbt_project.yml): the text put on
 * every statement a connection sends, rendered with the macro context (the
 * root project's macros and packages, `target`, `var`, `env_var`...) as a
 * macro `(connection_name, node)`: `node` is the running node (none outside
 * one, where `connection_name` is `master`). Rendered once per node, not per
 * statement; absent, the comment is dbt's default JSON object; `null` or ''
 * sends none, at no cost. `job-label` is BigQuery's and is ignored here.
 */
import type { QueryCommentText } from '../adapters/base/query-comment.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { callJinja, type JinjaCallable } from '../jinja/index.js';
import { pyToJson } from '../jinja/python/json.js';
import { pyStr } from '../jinja/python/repr.js';
import type { CompiledNode } from '../manifest/types.js';
import { DBT_VERSION } from '../manifest/dbt-version.js';
import { fastPaths } from '../util/fast-paths.js';
import { isRecord } from '../util/yaml.js';
import { nodeDict, type ContextFactory } from './context-factory.js';

/**
 * The default comment, as a template (what the fast path computes directly):
 * app, dbt_version, profile_name, target_name, then node_id in a node or the
 * connection name outside one, as JSON.
 */
const DEFAULT_COMMENT = [
  "{%- set fields = {'app': 'dbt', 'dbt_version': dbt_version, 'profile_name': target.get('profile_name'), 'target_name': target.get('target_name')} -%}",
  "{%- if node is not none -%}{%- do fields.update({'node_id': node.unique_id}) -%}",
  "{%- else -%}{%- do fields.update({'connection_name': connection_name}) -%}{%- endif -%}",
  '{{- tojson(fields) -}}',
].join('\n');

/** `query-comment:` normalised: the comment template (null: none), whether it goes after the statement. */
export interface QueryCommentSetting {
  comment: string | null;
  /** Unset: the adapter's default (after the statement on Snowflake, before it elsewhere). */
  append: boolean | null;
  /** The comment is dbt's default one. */
  isDefault: boolean;
}

/** Where `query-comment:` was written, for errors. */
export interface QueryCommentSource {
  file: string;
  line?: number;
}

/** Read `query-comment:` as dbt does: absent is the default, null/'' none, a string the comment, a mapping {comment, append, job-label}. */
export function queryCommentSetting(raw: unknown, where: QueryCommentSource): QueryCommentSetting {
  if (raw === undefined) return { comment: DEFAULT_COMMENT, append: null, isDefault: true };
  if (raw === null || raw === '' || raw === false) return { comment: null, append: null, isDefault: false };
  if (typeof raw === 'string') return { comment: raw, append: null, isDefault: false };
  const bad = (what: string): never => {
    throw new TsdbtError('PROJECT_INVALID', `dbt_project.yml: query-comment ${what}`, {
      file: where.file,
      line: where.line,
      hint: 'Write `query-comment: "<comment>"`, `query-comment: null`, or `query-comment: {comment: "<comment>", append: true}`.',
    });
  };
  if (!isRecord(raw)) return bad(`must be a string or a mapping, got ${JSON.stringify(raw)}`);
  const append = raw.append;
  if (append !== undefined && append !== null && typeof append !== 'boolean') bad(`'append' must be true or false, got ${JSON.stringify(append)}`);
  const label = raw['job-label'] ?? raw.job_label;
  if (label !== undefined && typeof label !== 'boolean') bad(`'job-label' must be true or false, got ${JSON.stringify(label)}`);
  const comment = raw.comment;
  if (comment !== undefined && comment !== null && typeof comment !== 'string') bad(`'comment' must be a string, got ${JSON.stringify(comment)}`);
  const isDefault = comment === undefined;
  return { comment: isDefault ? DEFAULT_COMMENT : (comment as string | null) || null, append: typeof append === 'boolean' ? append : null, isDefault };
}

/** Renders the comment for a connection: once for the invocation (`master`), once per node run. */
export class QueryHeader {
  private macro: JinjaCallable | undefined;
  private masterComment: QueryCommentText | null | undefined;
  private readonly namedComments = new Map<string, QueryCommentText | null>();
  private readonly append: boolean;

  constructor(
    private readonly setting: QueryCommentSetting & { comment: string },
    private readonly contexts: ContextFactory,
    private readonly where: QueryCommentSource,
    adapterAppends: boolean,
  ) {
    this.append = setting.append ?? adapterAppends;
  }

  /** The comment outside any node (hooks, schema creation, introspection), rendered once. */
  get master(): QueryCommentText | null {
    if (this.masterComment === undefined) this.masterComment = this.render('master', null);
    return this.masterComment;
  }

  /**
   * The comment on a connection dbt names for work outside a node:
   * `create_<database>_<schema>` (schema creation), `macro_<name>`
   * (run-operation), `<database>.information_schema` (the catalog).
   */
  forConnection(name: string): QueryCommentText | null {
    if (name === 'master') return this.master;
    let comment = this.namedComments.get(name);
    if (comment === undefined) this.namedComments.set(name, (comment = this.render(name, null)));
    return comment;
  }

  /** The comment while `node` runs (its connection is named for it, as in dbt). */
  forNode(node: CompiledNode): QueryCommentText | null {
    return this.render(node.unique_id, node);
  }

  private render(connectionName: string, node: CompiledNode | null): QueryCommentText | null {
    let text: string;
    if (this.setting.isDefault && fastPaths()) {
      text = this.defaultComment(connectionName, node);
    } else {
      try {
        text = pyStr(callJinja(this.bound(), [connectionName, node === null ? null : nodeDict(node)]));
      } catch (e) {
        throw this.located(e);
      }
    }
    return queryCommentText(text, this.append, this.where.file, this.where.line);
  }

  /** The default comment without a render (same JSON as DEFAULT_COMMENT gives). */
  private defaultComment(connectionName: string, node: CompiledNode | null): string {
    const target = this.contexts.shared.target;
    const fields: Record<string, unknown> = { app: 'dbt', dbt_version: DBT_VERSION, profile_name: target.profile_name ?? null, target_name: target.target_name ?? null };
    if (node !== null) fields.node_id = node.unique_id;
    else fields.connection_name = connectionName;
    return pyToJson(fields);
  }

  /** The comment as a macro in the root project's macro context (built on first use). */
  private bound(): JinjaCallable {
    if (this.macro) return this.macro;
    const root = this.contexts.shared.projectName;
    const vars: Record<string, unknown> = {};
    const { context } = this.contexts.assemble(root, vars);
    Object.assign(vars, this.contexts.base(root, true, undefined, context));
    this.contexts.finish(context, root);
    const source = `{%- macro query_comment_macro(connection_name, node) -%}\n${this.setting.comment}\n{% endmacro %}`;
    this.macro = this.contexts.shared.env.bindMacro(this.where.file, source, 'query_comment_macro', context);
    return this.macro;
  }

  /** A failure of the comment's Jinja, located at `query-comment:` in dbt_project.yml. */
  private located(e: unknown): TsdbtError {
    const inner = e instanceof TsdbtError ? e : new TsdbtError('JINJA_RENDER', e instanceof Error ? e.message : String(e));
    return new TsdbtError(inner.code, `query-comment in ${this.where.file} could not be rendered: ${inner.message}`, {
      file: this.where.file,
      line: this.where.line,
      hint: inner.hint ?? 'Fix the Jinja of query-comment, or set `query-comment: null` to send no comment.',
      cause: inner,
    });
  }
}

/** The comment as the session keeps it: null when it is empty (nothing is sent), an error when it contains `*\/` (it would close itself early), as in dbt. */
function queryCommentText(text: string, append: boolean, file: string, line?: number): QueryCommentText | null {
  if (text === '') return null;
  if (text.includes('*/')) {
    throw new TsdbtError('PROJECT_INVALID', `query comment contains illegal value "*/": ${text}`, {
      file,
      line,
      hint: 'A query comment is sent inside /* ... */: remove the "*/" from query-comment (or from what it renders).',
    });
  }
  return { text, append };
}

/** The invocation's query header; null when the comment is disabled (then nothing is rendered or added). */
export function queryHeaderOf(raw: unknown, contexts: ContextFactory, where: QueryCommentSource, adapterAppends: boolean): QueryHeader | null {
  const setting = queryCommentSetting(raw, where);
  if (setting.comment === null) return null;
  return new QueryHeader(setting as QueryCommentSetting & { comment: string }, contexts, where, adapterAppends);
}
