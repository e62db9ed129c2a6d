import { Relation } from '../adapters/base/relation.js';
import { injectCtes, type Cte } from '../compile/inject-ctes.js';
import type { NodeCompiler } from '../compile/node-compiler.js';
import type { MacroRegistry } from '../context/macro-registry.js';
import { refCallOf } from '../context/parse-context.js';
import { RunFiles } from './run-files.js';
import { relationOfNode, relationOfSource, runtimeContext, type RuntimeRender, type RuntimeShared } from '../context/runtime-context.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { callJinja, pyFunction } from '../jinja/index.js';
import type { CompiledNode } from '../manifest/types.js';
import { findMaterialization, materializationNotFound } from './find-materialization.js';
import type { NodeResult, NodeStatus } from './node-result.js';
import { NodeRecording } from './node-recording.js';
import { diffRows } from './unit-test-diff.js';
import { parseInputTarget } from '../project/unit-test-input.js';
import { inferColumnTypes, loadFixture, sqlLiteral, type LoadedFixture } from './unit-test-inputs.js';
import { applyOverrides } from './unit-test-overrides.js';

/**
 * The `path` dbt gives a unit test it runs (UnitTestNode: get_pseudo_test_path
 * of its name, `_v<version>` added for a model version, and its YAML file):
 * the YAML's folder and `<name>.sql`. Not the YAML's own name, so its SQL is
 * written under `<yaml>/<yaml's folder>/<name>.sql` in target/compiled/ and
 * target/run/ (compiledPathOf), as dbt writes it.
 */
export function unitTestPath(node: CompiledNode): string {
  const version = node.version === null || node.version === undefined ? '' : `_v${String(node.version)}`;
  const file = node.original_file_path;
  const slash = file.lastIndexOf('/');
  return `${slash < 0 ? '' : file.slice(0, slash + 1)}${node.name}${version}.sql`;
}

/** One `given:` input, resolved: which node or source it stands for and the CTE that replaces it. */
interface GivenInput {
  /** unique id of the replaced node/source; the model's own id for `this`. */
  id: string;
  input: string;
  cte: Cte;
}

/**
 * Runs dbt 1.8 unit tests. The tested model is rendered with every ref and
 * source it reads (and `this`, when given) replaced by a CTE built from the
 * given rows, typed by the input relation's real columns when it exists in
 * the database, else inferred from the values. The `unit` materialization
 * then returns actual and expected rows over the expected columns, which
 * are compared here as multisets: PASS, or FAIL with a table of the
 * differing rows.
 */
export class UnitTestRunner {
  constructor(
    private readonly shared: RuntimeShared,
    private readonly compiler: NodeCompiler,
    private readonly registry: MacroRegistry,
    private readonly threadId = 'Thread-1',
  ) {}

  run(node: CompiledNode): NodeResult {
    const rec = new NodeRecording(this.shared.session, node, this.threadId);
    const { timing } = rec;
    const finish = (status: NodeStatus, fields: Partial<NodeResult>) => rec.finish(status, fields);
    let phase: 'compile' | 'execute' = 'compile';
    let phaseStart = new Date();
    try {
      const model = this.testedModel(node);
      const sql = this.compileModel(node, model);
      rec.compiledCode = sql;
      const written = { ...node, path: unitTestPath(node) };
      rec.compiledPath = this.compiler.write(written, sql);
      node.compiled_code = sql;
      node.compiled_path = rec.compiledPath;
      timing.push({ name: 'compile', started_at: phaseStart.toISOString(), completed_at: new Date().toISOString() });
      phase = 'execute';
      phaseStart = new Date();
      // Its main statement is kept in target/run/ where its compiled SQL is in target/compiled/.
      const outcome = this.execute(node, model, sql, new RunFiles(this.compiler, written));
      timing.push({ name: 'execute', started_at: phaseStart.toISOString(), completed_at: new Date().toISOString() });
      return finish(outcome.status, outcome);
    } catch (e) {
      this.shared.session.rollbackIfOpen();
      timing.push({ name: phase, started_at: phaseStart.toISOString(), completed_at: new Date().toISOString() });
      const err = asUnitTestError(e, node, rec.compiledPath);
      return finish('error', { message: err.format(), error: err });
    }
  }

  /** The folder of the unit test's package (its fixtures are under tests/fixtures there). */
  private rootOf(node: CompiledNode): string {
    const root = this.shared.packageRoots.get(node.package_name);
    if (root === undefined) throw new TsdbtError('INTERNAL', `no package '${node.package_name}' is loaded for unit test '${node.name}'`, { file: node.original_file_path });
    return root;
  }

  private testedModel(node: CompiledNode): CompiledNode {
    const id = node.attached_node ?? node.depends_on.nodes[0];
    const model = id ? this.shared.manifest.nodes[id] : undefined;
    if (!model || !node.unit_test) throw new TsdbtError('UNIT_TEST_INVALID', `Unit test '${node.name}' tests model '${node.unit_test?.model ?? '?'}', which is not in the project`, { file: node.original_file_path, hint: 'Check the `model:` key of the unit test.' });
    return model;
  }

  /** The model's SQL with its inputs replaced by fixture CTEs. */
  private compileModel(node: CompiledNode, model: CompiledNode): string {
    const def = node.unit_test!;
    const r = runtimeContext(this.shared, model);
    const given = def.given.map((g) => this.givenInput(node, model, g, r));
    const byId = new Map(given.map((g) => [g.id, g]));
    const info = this.shared.session.info;
    const cteRelation = (g: GivenInput) => new Relation({ identifier: g.cte.name, type: 'cte' }, { database: false, schema: false, identifier: false }, info.quoteChar, undefined, g.id);
    const missing = (written: string): TsdbtError =>
      new TsdbtError('UNIT_TEST_INVALID', `Unit test '${node.name}' gives no input for ${written}, which model '${model.name}' reads`, {
        file: node.original_file_path,
        hint: `Add it under given:, e.g.\n  - input: ${written}\n    rows: []`,
      });
    const vars = r.context.vars;
    vars.ref = pyFunction((args, kwargs) => {
      const call = refCallOf(args, kwargs);
      const target = this.shared.refs.resolveRef(call, model.package_name);
      if (!target) throw this.shared.refs.refError(call, { name: model.name, file: model.original_file_path });
      const g = byId.get(target.unique_id);
      if (!g) throw missing(call.package ? `ref('${call.package}', '${call.name}')` : `ref('${call.name}')`);
      return cteRelation(g);
    });
    vars.source = pyFunction(([s, t]) => {
      const src = this.shared.refs.resolveSource(String(s), String(t));
      if (!src) throw this.shared.refs.sourceError(String(s), String(t), { name: model.name, file: model.original_file_path });
      const g = byId.get(src.unique_id);
      if (!g) throw missing(`source('${String(s)}', '${String(t)}')`);
      return cteRelation(g);
    });
    const self = byId.get(model.unique_id);
    if (self) vars.this = cteRelation(self);
    // Unit tests build the model as a full refresh unless `is_incremental` is overridden.
    vars.is_incremental = pyFunction(() => false);
    applyOverrides(r, def.overrides, node);
    const env = this.shared.contexts.shared.env;
    let sql: string;
    try {
      sql = env.render(env.compile(model.raw_code, model.original_file_path), r.context);
    } catch (e) {
      if (e instanceof TsdbtError && e.code === 'UNIT_TEST_INVALID') throw e;
      if (e instanceof TsdbtError) throw e.withLocation({ file: model.original_file_path });
      throw e;
    }
    return injectCtes(sql, given.map((g) => g.cte));
  }

  private givenInput(node: CompiledNode, model: CompiledNode, g: NonNullable<CompiledNode['unit_test']>['given'][number], r: RuntimeRender): GivenInput {
    const file = node.original_file_path;
    const target = parseInputTarget(String(g.input), node);
    let id: string;
    let relation: Relation | null = null;
    let cteName: string;
    if (target.kind === 'this') {
      id = model.unique_id;
      relation = relationOfNode(this.shared, model);
      cteName = `__dbt__cte__${model.name}__this`;
    } else if (target.kind === 'ref') {
      const n = this.shared.refs.resolveRef({ name: target.name, package: target.package, version: target.version }, model.package_name);
      if (!n) throw new TsdbtError('UNIT_TEST_INVALID', `Unit test '${node.name}': given input ${g.input} matches no model, seed or snapshot`, { file, hint: `Give only the refs and sources model '${model.name}' reads: ${this.parentsOf(model)}.` });
      id = n.unique_id;
      if (n.config.materialized !== 'ephemeral') relation = relationOfNode(this.shared, n);
      cteName = `__dbt__cte__${n.name}`;
    } else {
      const s = this.shared.refs.resolveSource(target.source, target.table);
      if (!s) throw new TsdbtError('UNIT_TEST_INVALID', `Unit test '${node.name}': given input ${g.input} matches no source table`, { file, hint: 'Declare the source in a properties file, or fix its name.' });
      id = s.unique_id;
      relation = relationOfSource(this.shared, s);
      cteName = `__dbt__cte__${s.source_name}__${s.name}`;
    }
    if (target.kind !== 'this' && !model.depends_on.nodes.includes(id)) {
      throw new TsdbtError('UNIT_TEST_INVALID', `Unit test '${node.name}': given input ${g.input} is not a direct parent of model '${model.name}'`, {
        file,
        hint: `Give only what the model reads: ${this.parentsOf(model)}.`,
      });
    }
    const fixture = loadFixture(g, node, `given input ${g.input}`, this.rootOf(node));
    const sql = fixture.kind === 'sql' ? this.compiledFixtureSql(node, fixture.sql) : this.fixtureSql(node, r, fixture, relation, String(g.input));
    return { id, input: String(g.input), cte: { id, name: cteName, sql } };
  }

  /**
   * A `format: sql` fixture's SQL compiled: in dbt it is the raw code of the fixture's own node, so its Jinja runs
   * (the Tuva Project picks a column's quoting by `target.type` there), in the unit test's package, with the
   * project's vars (the test's `overrides` apply to the model only). `r`: the unit test's own context, when the
   * caller has made it.
   */
  private compiledFixtureSql(node: CompiledNode, sql: string, r?: RuntimeRender): string {
    if (!sql.includes('{')) return sql;
    const env = this.shared.contexts.shared.env;
    try {
      return env.render(env.compile(sql, node.original_file_path), (r ?? runtimeContext(this.shared, node)).context);
    } catch (e) {
      if (e instanceof TsdbtError) throw e.withLocation({ file: node.original_file_path });
      throw e;
    }
  }

  /** The model's parents as given inputs are written: `ref('a'), source('s', 't')`. */
  private parentsOf(model: CompiledNode): string {
    const written = model.depends_on.nodes.map((id) => {
      const src = this.shared.manifest.sources[id];
      if (src) return `source('${src.source_name}', '${src.name}')`;
      const n = this.shared.manifest.nodes[id];
      return n ? `ref('${n.name}')` : id;
    });
    return written.join(', ') || '(nothing)';
  }

  private fixtureSql(node: CompiledNode, r: RuntimeRender, fixture: Extract<LoadedFixture, { kind: 'rows' }>, relation: Relation | null, input: string): string {
    const real = relation ? this.shared.session.columnsOf(relation) : [];
    let types: Record<string, string>;
    if (real.length > 0) {
      types = Object.fromEntries(real.map((c) => [c.name.toLowerCase(), c.data_type]));
      const unknown = fixture.columns.filter((c) => !(c in types));
      if (unknown.length > 0) {
        throw new TsdbtError('UNIT_TEST_INVALID', `Invalid column name: '${unknown[0]}' in unit test fixture for ${input} of unit test '${node.name}'`, {
          file: node.original_file_path,
          hint: `Accepted columns for ${input} are: ${Object.keys(types).join(', ')}`,
        });
      }
    } else {
      types = inferColumnTypes(fixture.rows, fixture.columns);
      if (fixture.columns.length === 0) {
        throw new TsdbtError('UNIT_TEST_INVALID', `Unit test '${node.name}': given input ${input} has no rows and its relation does not exist, so its columns are unknown`, {
          file: node.original_file_path,
          hint: `Give at least one row, use format: sql, or build the input first (e.g. tsdbt run --empty).`,
        });
      }
    }
    return this.renderRows(r, 'get_fixture_sql', fixture.rows, types);
  }

  private renderRows(r: RuntimeRender, macro: string, rows: Record<string, unknown>[], types: Record<string, string>): string {
    const literalRows = rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, sqlLiteral(v)])));
    return String(callJinja(r.resolver.resolve(macro), [literalRows, types]) ?? '').trim();
  }

  private execute(node: CompiledNode, model: CompiledNode, sql: string, runFiles: RunFiles): Partial<NodeResult> & { status: NodeStatus } {
    const session = this.shared.session;
    const def = node.unit_test!;
    const probe = session.execute(`select * from (\n${sql}\n) as __dbt_unit_test_probe limit 0`);
    const outputTypes: Record<string, string> = {};
    probe.raw.columns.forEach((c) => (outputTypes[c.name.toLowerCase()] = c.type));
    const expected = loadFixture(def.expect, node, 'expect', this.rootOf(node));
    const r0 = runtimeContext(this.shared, node);
    let expectedSql: string;
    let columns: string[];
    if (expected.kind === 'sql') {
      expectedSql = this.compiledFixtureSql(node, expected.sql, r0);
      columns = Object.keys(outputTypes);
    } else {
      columns = expected.columns.length > 0 ? expected.columns : Object.keys(outputTypes);
      const unknown = columns.filter((c) => !(c in outputTypes));
      if (unknown.length > 0) {
        throw new TsdbtError('UNIT_TEST_INVALID', `Unit test '${node.name}' expects column '${unknown[0]}', which model '${model.name}' does not return`, {
          file: node.original_file_path,
          hint: `The model's columns are: ${Object.keys(outputTypes).join(', ')}`,
        });
      }
      expectedSql = this.renderRows(r0, 'get_expected_sql', expected.rows, outputTypes);
    }
    const chain = session.info.adapterChain;
    const macro = findMaterialization(this.registry, 'unit', chain);
    if (!macro) throw materializationNotFound(node, 'unit', chain);
    const runNode: CompiledNode = { ...node, config: { ...node.config, expected_sql: expectedSql, expected_column_names: columns } };
    const r = runtimeContext(this.shared, runNode, { extra: { sql, compiled_code: sql }, write: runFiles.writer() });
    try {
      callJinja(r.resolver.bind(macro), []);
    } catch (e) {
      runFiles.settle();
      throw e;
    }
    runFiles.wait();
    session.commit({ flushDeferred: false });
    const main = r.results.get('main');
    if (!main) throw new TsdbtError('COMPILER_ERROR', `The unit materialization ran no 'main' statement for '${node.name}'`, { file: node.original_file_path });
    const names = main.table.column_names.map((n) => n.toLowerCase());
    const flag = names.indexOf('actual_or_expected');
    const keep = columns.map((c) => names.indexOf(c));
    const actualRows: unknown[][] = [];
    const expectedRows: unknown[][] = [];
    for (const row of main.table.rawRows) (row[flag] === 'actual' ? actualRows : expectedRows).push(keep.map((i) => row[i]));
    const diff = diffRows(columns, actualRows, expectedRows);
    const response = main.response ?? { _message: 'OK', code: 'OK', rows_affected: -1 };
    if (diff.equal) return { status: 'pass', failures: 0, message: null, adapter_response: response };
    return { status: 'fail', failures: 1, message: `actual differs from expected:\n\n${diff.rendered}`, adapter_response: response };
  }
}

function asUnitTestError(e: unknown, node: CompiledNode, compiledPath: string | null): TsdbtError {
  if (e instanceof TsdbtError) {
    if (e.code === 'DATABASE_ERROR') {
      return new TsdbtError('DATABASE_ERROR', `Database Error in unit test ${node.name} (${node.original_file_path})\n  ${e.message.split('\n').join('\n  ')}${compiledPath ? `\n  compiled code at ${compiledPath}` : ''}`, {
        hint: e.hint,
        cause: e,
        detail: { ...e.detail, compiled_path: compiledPath, node: node.unique_id },
      });
    }
    return e.file ? e : e.withLocation({ file: node.original_file_path });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new TsdbtError('INTERNAL', `Unexpected error in unit test ${node.name} (${node.original_file_path}): ${message}`, { cause: e, file: node.original_file_path });
}
