import type { NodeCompiler } from '../compile/node-compiler.js';
import { runtimeContext, type RuntimeShared } from '../context/runtime-context.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { callJinja, pyFunction } from '../jinja/index.js';
import { PyStrEnum } from '../jinja/python/types.js';
import type { CompiledNode } from '../manifest/types.js';
import type { HookPosition, NodeResult } from './node-result.js';
import { operationNode } from './operation-node.js';
import type { ProjectHookNode, RunHookKind } from '../project/hook-nodes.js';
import { join, relative } from 'node:path';

export interface OperationScope {
  shared: RuntimeShared;
  compiler: NodeCompiler;
  projectName: string;
  projectDir: string;
}

/** An operation node placed in the target's database and schema. */
export function scopedOperation(scope: OperationScope, name: string, rawCode: string, resourceType: 'operation' | 'sql_operation' = 'operation'): CompiledNode {
  const node = operationNode({ packageName: scope.projectName, name, rawCode, resourceType });
  node.schema = scope.shared.session.info.schema;
  node.database = scope.shared.session.info.database;
  node.alias = name;
  return node;
}

/**
 * Run `fn` on the connection dbt names `name` for it (the query comment's
 * `connection_name`); the invocation's (`master`) comment after.
 */
export function onConnectionNamed<T>(shared: RuntimeShared, name: string, fn: () => T): T {
  const header = shared.queryHeader;
  if (!header) return fn();
  shared.session.setQueryComment(header.forConnection(name));
  try {
    return fn();
  } finally {
    shared.session.setQueryComment(header.master);
  }
}

/**
 * Create the schemas the nodes build into that do not exist yet (dbt does
 * this before running), through the `create_schema` macro.
 */
export function createSchemas(scope: OperationScope, nodes: readonly CompiledNode[]): void {
  const session = scope.shared.session;
  const wanted = new Map<string, { database: string | null; schema: string }>();
  for (const n of nodes) {
    const builds = ['model', 'seed', 'snapshot'].includes(n.resource_type) ? n.config.materialized !== 'ephemeral' : n.resource_type === 'test' && storesFailures(n, Boolean(scope.shared.flags.store_failures));
    if (!builds) continue;
    wanted.set(`${n.database ?? ''}\u0000${n.schema.toLowerCase()}`, { database: n.database, schema: n.schema });
  }
  if (wanted.size === 0) return;
  const r = runtimeContext(scope.shared, scopedOperation(scope, 'create_schemas', ''), { allowUndeclaredRefs: true });
  const adapter = r.context.vars.adapter as Record<string, unknown>;
  for (const { database, schema } of wanted.values()) {
    if (session.schemaExists(database, schema)) continue;
    // dbt's create_schemas: each on a connection named `create_<database or ''>_<schema>`.
    onConnectionNamed(scope.shared, `create_${database ?? ''}_${schema}`, () => callJinja(adapter.create_schema, [session.info.makeRelation({ database, schema })]));
  }
  session.commit();
}

/** Whether a test keeps its failing rows (the test materialization's rule: store_failures_as wins over store_failures and the flag). */
export function storesFailures(n: CompiledNode, flag: boolean): boolean {
  const as = n.config.store_failures_as;
  if (as !== null && as !== undefined) return as === 'table' || as === 'view';
  return Boolean(n.config.store_failures ?? flag);
}

/** Told as each hook starts and as its result is made (so a console prints them in turn). */
export interface HookEvents {
  onStart?: (node: CompiledNode, hook: HookPosition) => void;
  onResult?: (r: NodeResult) => void;
}

/**
 * on-run-start / on-run-end: each hook, in dbt's order (every package's,
 * the root project's last: project/hook-nodes), rendered in its own
 * package (its vars and macros first; with `results`, `schemas` and
 * `database_schemas` for on-run-end) and run outside a transaction.
 * They are reported like nodes, as dbt 1.8+ does; as dbt 1.10's
 * safe_run_hooks, the hooks after a failing one are skipped, and each
 * result's message is `<package>.<kind>.<i> passed|failed, error: …|skipped`,
 * `i` counting all the hooks of the kind run.
 */
export function runProjectHooks(scope: OperationScope, kind: RunHookKind, hooks: readonly ProjectHookNode[], extra: Record<string, unknown> = {}, events: HookEvents = {}): NodeResult[] {
  const out: NodeResult[] = [];
  let failed = false;
  hooks.forEach((hookNode, i) => {
    const node: CompiledNode = { ...hookNode };
    const statement = `${node.package_name}.${kind}.${i}`;
    const where = node.package_name === scope.projectName ? 'dbt_project.yml' : relative(scope.projectDir, join(scope.shared.packageRoots.get(node.package_name) ?? scope.projectDir, 'dbt_project.yml'));
    const started = new Date();
    const statements: string[] = [];
    let status: NodeResult['status'] = 'success';
    let message: string | null = null;
    let error: TsdbtError | undefined;
    if (failed) {
      status = 'skipped';
      message = `${statement} skipped`;
    } else {
      events.onStart?.(node, { statement, index: i + 1, total: hooks.length });
      const stop = scope.shared.session.onStatement((s) => statements.push(s.sql));
      try {
        const { sql } = scope.compiler.render(node, { allowUndeclaredRefs: true, extra });
        if (sql.trim()) scope.shared.session.execute(sql, { autoBegin: false });
        scope.shared.session.commit();
        message = `${statement} passed`;
      } catch (e) {
        scope.shared.session.rollbackIfOpen();
        error = e instanceof TsdbtError ? e : new TsdbtError('INTERNAL', String(e));
        error = new TsdbtError(error.code, `${kind} hook ${hookNode.index}${node.package_name === scope.projectName ? '' : ` of package '${node.package_name}'`} failed: ${error.message}`, { file: where, hint: error.hint, cause: error });
        status = 'error';
        message = `${statement} failed, error:\n ${error.format()}`;
        failed = true;
      } finally {
        stop();
      }
    }
    const result: NodeResult = {
      unique_id: node.unique_id,
      node,
      status,
      timing: status === 'skipped' ? [] : [{ name: 'execute', started_at: started.toISOString(), completed_at: new Date().toISOString() }],
      thread_id: 'main',
      execution_time: status === 'skipped' ? 0 : (Date.now() - started.getTime()) / 1000,
      adapter_response: {},
      message,
      failures: status === 'success' ? 0 : 1,
      compiled_path: null,
      statements,
      sql_ms: 0,
      error,
      hook: { statement, index: i + 1, total: hooks.length },
    };
    out.push(result);
    events.onResult?.(result);
  });
  return out;
}

/**
 * The `results` list on-run-end hooks see: dbt's RunResult fields as a dict.
 * The result, its node and its timing entries also answer `to_dict()`, as
 * dbt's RunResult, node and TimingInfo objects do (elementary uploads them so).
 */
export function hookResultsView(results: readonly NodeResult[]): Record<string, unknown>[] {
  return results.map((r) =>
    withToDict({
      node: r.node ? withToDict({ ...r.node, resource_type: strEnum(r.node.resource_type, NODE_TYPES) }) : r.node,
      status: strEnum(r.status, NODE_STATUSES),
      message: r.message,
      failures: r.failures,
      execution_time: r.execution_time,
      adapter_response: r.adapter_response,
      thread_id: r.thread_id,
      timing: Array.isArray(r.timing) ? r.timing.map((t) => withToDict({ ...t })) : r.timing,
      unique_id: r.unique_id,
    }),
  );
}

/** The method withToDict gives (not a key: dictOf tells such objects by it). */
const TO_DICT = 'to_dict';

/** dbt's NodeType: each value's member name. */
const NODE_TYPES: Record<string, string> = {
  model: 'Model', analysis: 'Analysis', test: 'Test', snapshot: 'Snapshot', operation: 'Operation', seed: 'Seed', rpc: 'RPCCall',
  sql_operation: 'SqlOperation', doc: 'Documentation', source: 'Source', macro: 'Macro', exposure: 'Exposure', metric: 'Metric',
  group: 'Group', saved_query: 'SavedQuery', semantic_model: 'SemanticModel', unit_test: 'Unit', fixture: 'Fixture',
};
/** dbt's NodeStatus (RunStatus, TestStatus and FreshnessStatus take their members from it): each value's member name. */
const NODE_STATUSES: Record<string, string> = {
  success: 'Success', error: 'Error', fail: 'Fail', warn: 'Warn', skipped: 'Skipped', 'partial success': 'PartialSuccess',
  pass: 'Pass', 'runtime error': 'RuntimeErr', 'no-op': 'NoOp',
};

/** A value of one of dbt's str enums as templates see it: a str with `.value` and `.name` (a value the enum has not stays a str). */
function strEnum(v: unknown, names: Record<string, string>): unknown {
  return typeof v === 'string' && Object.hasOwn(names, v) ? new PyStrEnum(v, names[v]!) : v;
}

/** `o` with a `to_dict()` method (not one of its keys): a copy of its keys. */
function withToDict<T extends object>(o: T): T {
  Object.defineProperty(o, TO_DICT, { value: pyFunction(() => dictOf(o)), enumerable: false });
  return o;
}

/** What dbt's to_dict() gives: enum members as their values, the node and timing entries as dicts too. */
function dictOf(o: object): Record<string, unknown> {
  const plain = (v: unknown): unknown => {
    if (v instanceof PyStrEnum) return v.val;
    if (Array.isArray(v)) return v.map(plain);
    if (v !== null && typeof v === 'object' && TO_DICT in v) return dictOf(v);
    return v;
  };
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plain(v)]));
}
