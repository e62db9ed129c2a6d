import type { AdapterResponse } from '../adapters/base/database-session.js';
import type { NodeCompiler } from '../compile/node-compiler.js';
import type { MacroRegistry } from '../context/macro-registry.js';
import { runtimeContext, type RuntimeShared } from '../context/runtime-context.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { callJinja } from '../jinja/index.js';
import type { CompiledNode } from '../manifest/types.js';
import { findMaterialization } from './find-materialization.js';
import type { NodeResult, TimingInfo } from './node-result.js';
import { judgeTest } from './judge-test.js';
import { storesFailures } from './operations.js';
import { fastPaths } from '../util/fast-paths.js';

/** The package of the built-in materializations: only its `test` materialization is known well enough to batch. */
const BUILT_IN = 'dbt';

interface Member {
  node: CompiledNode;
  sql: string;
  compiledPath: string;
  /** The `main` statement's SQL as the materialization would send it alone (kept in target/run/). */
  mainSql: string;
  /** mainSql trimmed, for the batch query. */
  testSql: string;
  wait(): void;
  compile: TimingInfo;
  compileMs: number;
}

/**
 * Runs the data tests of one model in one query. The test materialization
 * of the built-in project sends one `get_test_sql` query per test; on small
 * tables the database spends most of such a query's time on fixed costs
 * (planning, a round trip), so for the tests of one model the same
 * `get_test_sql` queries, rendered per test exactly as the materialization
 * renders them, are sent as one `union all` returning one row per test.
 * Each test is still compiled and written (target/compiled) on its own and
 * judged from its own row, so statuses and failure counts are the same.
 *
 * When the runner asks for test A, the selected tests attached to A's model
 * that are ready whenever A is (they read nothing A does not, or nothing
 * built in this invocation) run with it; their results wait here until the
 * runner asks for them. Only tests using the built-in `test`
 * materialization that store no failures are batched; with several threads
 * (each has its own runner) only when the results are drained. If the batch query
 * fails, nothing is kept: each test then runs on its own, so an error lands
 * on the test that caused it.
 */
export class TestBatcher {
  /** Batched results not yet asked for, with the wait for their compiled file (done when handed out, so the writer has time). */
  private readonly done = new Map<string, { result: NodeResult; wait(): void }>();
  /** Tests that must run on their own (a failed batch, a compile error, or already handed out). */
  private readonly single = new Set<string>();
  private byModel: Map<string, string[]> | undefined;
  private selected: Set<string> | undefined;
  private builtInTest: boolean | undefined;

  constructor(
    private readonly shared: RuntimeShared,
    private readonly compiler: NodeCompiler,
    private readonly registry: MacroRegistry,
    private readonly threadId: string,
    /**
     * With several threads: the siblings' results are taken with drain() as soon as the batch has run (a render
     * worker sends them to the coordinator, which hands them out whichever thread the queue gives them to).
     */
    private readonly drained = false,
  ) {}

  /** With `drained`: the batched results not yet asked for (their compiled files written), and forget them. */
  drain(): NodeResult[] {
    // Otherwise they wait here for the runner to ask (one thread: its next nodes are these very tests).
    if (!this.drained) return [];
    const out = [...this.done.values()].map(handOut);
    this.done.clear();
    return out;
  }

  /** The result of `node` from a batch (run now with its siblings, or earlier), or undefined to run it alone. */
  run(node: CompiledNode): NodeResult | undefined {
    const kept = this.done.get(node.unique_id);
    if (kept) {
      this.done.delete(node.unique_id);
      return handOut(kept);
    }
    if (this.single.has(node.unique_id) || !this.batchable(node)) return undefined;
    const members = this.siblings(node);
    if (members.length < 2) return undefined;
    // `node` first: if it does not compile it runs alone, and its siblings may still batch without it.
    this.single.add(node.unique_id);
    const own = this.compileMember(node);
    if (!own) return undefined;
    const rendered = [own];
    for (const m of members) {
      if (m === node) continue;
      this.single.add(m.unique_id);
      const r = this.compileMember(m);
      if (r) rendered.push(r);
    }
    if (rendered.length < 2) return undefined;
    // Every file in one message to the writer; each is waited for when its result is handed out.
    const files = this.compiler.writeManyInBackground(rendered.map((m) => ({ node: m.node, sql: m.sql })));
    // What each test's `main` statement would have run alone, kept in target/run/ as the materialization's write() does.
    const runFiles = this.compiler.writeManyInBackground(rendered.map((m) => ({ node: m.node, sql: m.mainSql })), 'run');
    const compiled: Member[] = rendered.map((m, i) => {
      m.node.compiled_code = m.sql;
      m.node.compiled_path = files[i]!.path;
      return { ...m, compiledPath: files[i]!.path, wait: () => waitBoth(files[i]!, runFiles[i]!) };
    });
    const results = this.execute(compiled);
    if (!results) return undefined;
    for (const r of results) if (r.result.node !== node) this.done.set(r.result.unique_id, r);
    return handOut(results.find((r) => r.result.node === node)!);
  }

  private batchable(node: CompiledNode): boolean {
    if (node.resource_type !== 'test' || node.config.materialized !== 'test' || !node.attached_node) return false;
    // With several threads each has its own runner: unless drained, siblings handed to another thread would run twice.
    if (Number(this.shared.flags.threads ?? 1) > 1 && !this.drained) return false;
    // Only tests that keep no rows; an unusual store_failures_as value is left to the materialization to judge.
    const storeAs = node.config.store_failures_as;
    if (storesFailures(node, Boolean(this.shared.flags.store_failures)) || (storeAs !== null && storeAs !== undefined && storeAs !== 'ephemeral')) return false;
    this.builtInTest ??= findMaterialization(this.registry, 'test', this.shared.session.info.adapterChain)?.package_name === BUILT_IN;
    return this.builtInTest;
  }

  /** `node` and the batchable selected tests on its model that are ready when it is, in selection order. */
  private siblings(node: CompiledNode): CompiledNode[] {
    const selected = (this.selected ??= new Set(this.shared.selectedResources));
    const ready = new Set(node.depends_on.nodes);
    const out: CompiledNode[] = [];
    for (const id of this.testsOf(node.attached_node!)) {
      const n = this.shared.manifest.nodes[id]!;
      if (n !== node && (this.single.has(id) || this.done.has(id) || !this.batchable(n))) continue;
      // Ready whenever `node` is: everything it reads is read by `node` too, or is not built in this invocation.
      if (n.depends_on.nodes.every((d) => ready.has(d) || !selected.has(d))) out.push(n);
    }
    return out;
  }

  /**
   * The selected tests attached to `model`, in selection order. Found among
   * the model's children (a test depends on the model it is attached to), so
   * only those nodes are read: a render worker reads nodes from the parse
   * cache as it first uses them (see api/lazy-cache-body.ts).
   */
  private testsOf(model: string): string[] {
    const { manifest, selectedResources } = this.shared;
    const children = fastPaths() ? manifest.child_map[model] : undefined;
    if (!children) return this.testsByModel().get(model) ?? [];
    this.childTests ??= new Map();
    let ids = this.childTests.get(model);
    if (ids) return ids;
    const selected = (this.selected ??= new Set(selectedResources));
    const order = (this.order ??= new Map(selectedResources.map((id, i) => [id, i])));
    const test = (id: string) => Object.hasOwn(manifest.nodes, id) && manifest.nodes[id]!.resource_type === 'test' && manifest.nodes[id]!.attached_node === model;
    ids = children.filter((id) => selected.has(id) && test(id)).sort((a, b) => order.get(a)! - order.get(b)!);
    this.childTests.set(model, ids);
    return ids;
  }

  /** Every selected test by the model it is attached to, in selection order (reads every selected node). */
  private testsByModel(): Map<string, string[]> {
    if (this.byModel) return this.byModel;
    this.byModel = new Map();
    for (const id of this.shared.selectedResources) {
      const n = this.shared.manifest.nodes[id];
      if (n?.resource_type !== 'test' || !n.attached_node) continue;
      const list = this.byModel.get(n.attached_node) ?? [];
      list.push(id);
      this.byModel.set(n.attached_node, list);
    }
    return this.byModel;
  }

  private childTests: Map<string, string[]> | undefined;
  private order: Map<string, number> | undefined;

  /** Compile one test and render its `get_test_sql` as the materialization would; undefined if that fails (it then runs alone). */
  private compileMember(node: CompiledNode): Omit<Member, 'compiledPath' | 'wait'> | undefined {
    const started = new Date();
    const t0 = performance.now();
    try {
      const { sql } = this.compiler.compile(node);
      const r = runtimeContext(this.shared, node, { extra: { sql, compiled_code: sql } });
      const c = node.config as Record<string, unknown>;
      const mainSql = String(
        callJinja(r.resolver.resolve('get_test_sql') as never, [sql, c.fail_calc || 'count(*)', c.warn_if || '!= 0', c.error_if || '!= 0', c.limit ?? null]) ?? '',
      );
      return { node, sql, mainSql, testSql: mainSql.trim(), compile: { name: 'compile', started_at: started.toISOString(), completed_at: new Date().toISOString() }, compileMs: performance.now() - t0 };
    } catch {
      return undefined;
    }
  }

  /** One query for all members; their results, or undefined (members then run alone) if it failed. */
  private execute(members: Member[]): { result: NodeResult; wait(): void }[] | undefined {
    const session = this.shared.session;
    const sql = members.map((m, i) => `select ${i} as tsdbt_batch_index, * from (\n${m.testSql}\n) tsdbt_batch_${i}`).join('\nunion all\n');
    const started = new Date();
    const t0 = performance.now();
    const waited = session.conn.waitedMs;
    let out: ReturnType<typeof session.execute>;
    try {
      out = session.execute(sql, { autoBegin: false, fetch: true });
    } catch {
      session.rollbackIfOpen();
      for (const m of members) {
        try {
          m.wait();
        } catch {
          // Reported when the test runs alone.
        }
      }
      return undefined;
    }
    const execute: TimingInfo = { name: 'execute', started_at: started.toISOString(), completed_at: new Date().toISOString() };
    const sqlMs = (session.conn.waitedMs - waited) / members.length;
    const execMs = (performance.now() - t0) / members.length;
    const names = out.table.column_names.slice(1);
    const rowOf = new Map(out.table.rawRows.map((row) => [Number(row[0]), row.slice(1)]));
    return members.map((m, i) => {
      const base = {
        unique_id: m.node.unique_id,
        node: m.node,
        timing: [m.compile, execute],
        thread_id: this.threadId,
        execution_time: (m.compileMs + execMs) / 1000,
        adapter_response: out.response as AdapterResponse,
        compiled_path: m.compiledPath,
        compiled_code: m.sql,
        statements: [sql],
        sql_ms: sqlMs,
      };
      let result: NodeResult;
      try {
        const judged = judgeTest(m.node, rowOf.get(i), names);
        result = { ...base, status: judged.status, message: judged.message, failures: judged.failures };
      } catch (e) {
        result = errorResult(base, e);
      }
      return { result, wait: () => m.wait() };
    });
  }
}

/** Wait for both files; the first failure is thrown once both are done. */
function waitBoth(a: { wait(): void }, b: { wait(): void }): void {
  try {
    a.wait();
  } finally {
    b.wait();
  }
}

/** A batched result once its compiled file is on disk; a file that could not be written makes it an error, as when run alone. */
function handOut(entry: { result: NodeResult; wait(): void }): NodeResult {
  try {
    entry.wait();
    return entry.result;
  } catch (e) {
    return errorResult(entry.result, e);
  }
}

function errorResult(base: Omit<NodeResult, 'status' | 'message' | 'failures'>, e: unknown): NodeResult {
  const file = base.node.original_file_path;
  const err = e instanceof TsdbtError ? e.withLocation({ file }) : new TsdbtError('INTERNAL', String(e), { file });
  return { ...base, status: 'error', message: err.format(), failures: null, error: err };
}
