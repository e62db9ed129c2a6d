import { join } from 'node:path';
import { cteName, runtimeContext, type ReusedContext, type RuntimeOptions, type RuntimeShared } from '../context/runtime-context.js';
import { renderTestKwargs } from '../context/test-kwargs.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { callJinja } from '../jinja/index.js';
import type { CompiledNode } from '../manifest/types.js';
import { fastPaths } from '../util/fast-paths.js';
import { BackgroundWriter, writeFileSyncChecked } from './background-writer.js';
import { injectCtes, type Cte } from './inject-ctes.js';
import { readPlainTemplate, renderPlainTemplate } from './plain-template.js';
import { evaluateSimpleTestKwargs } from './simple-test-kwargs.js';
import { pathUnder } from '../util/files.js';

export interface CompileOutput {
  /** The node's SQL with ephemeral CTEs injected. */
  sql: string;
  /** Ephemeral models injected, dependencies first. */
  ctes: Cte[];
}

/**
 * Where a node's compiled SQL goes, relative to the project dir: `target/compiled/<package>/<file>` (generic tests:
 * `<yml>/<test>.sql`); `target/run/...` for what its `main` statement ran. A microbatch batch's file is
 * `<dir>/<stem>/<stem>_<splitSuffix>.sql` (dbt's get_target_write_path).
 */
export function compiledPathOf(node: CompiledNode, folder: 'compiled' | 'run' = 'compiled', targetPath = 'target', splitSuffix?: string): string {
  // Nodes defined in YAML (generic tests, YAML snapshots) compile to `<yaml file>/<path>`, where path
  // is the (possibly hashed) short name dbt uses; nodes from their own file compile to that file's path.
  const ownFile = baseName(node.path) === baseName(node.original_file_path);
  let file = ownFile ? node.original_file_path : `${node.original_file_path}/${node.path}`;
  if (splitSuffix) {
    const name = baseName(file);
    const dot = name.lastIndexOf('.');
    const stem = dot > 0 ? name.slice(0, dot) : name;
    file = `${file.slice(0, file.length - name.length)}${stem}/${stem}_${splitSuffix}${dot > 0 ? name.slice(dot) : ''}`;
  }
  return `${targetPath}/${folder}/${node.package_name}/${file}`;
}

/** The last segment of a '/'-separated path. */
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/**
 * Compiles nodes with the runtime context: renders the node's Jinja (the
 * database is reachable, `execute` is true) and injects the ephemeral
 * models it refs as CTEs, recursively and each once, dependencies first.
 */
export class NodeCompiler {
  private readonly ephemeral = new Map<string, { sql: string; deps: string[] }>();
  /** Per package: the context renders reuse while reuseContexts is on. */
  private readonly reusable = new Map<string, ReusedContext>();
  private reusing = false;
  /** Renders going on: one started inside another (a macro rendering a node) gets a fresh context. */
  private depth = 0;

  constructor(
    private readonly shared: RuntimeShared,
    private readonly projectDir: string,
    private readonly targetPath = 'target',
  ) {}

  /**
   * While on, each render reuses its package's context and resolver, given
   * the node's own vars (RuntimeOptions.reuse): a generic test's macro is bound
   * once per package instead of once per test. For callers that keep nothing
   * of a render but its SQL (the `compile` command); off, the kept contexts are dropped.
   */
  reuseContexts(on: boolean): void {
    this.reusing = on && fastPaths();
    if (!this.reusing) this.reusable.clear();
  }

  /** Render a node's own SQL; returns it and the ephemeral models it ref'd directly. */
  render(node: CompiledNode, opts: RuntimeOptions = {}): { sql: string; ephemerals: string[] } {
    if (this.reusing && this.depth === 0 && !opts.reuse && !opts.extra) opts = { ...opts, reuse: this.reusedContext(node.package_name) };
    this.depth++;
    try {
      return this.renderIn(node, opts);
    } finally {
      this.depth--;
    }
  }

  private reusedContext(packageName: string): ReusedContext {
    let slot = this.reusable.get(packageName);
    if (!slot) {
      slot = this.shared.contexts.assemble(packageName, {});
      this.reusable.set(packageName, slot);
    }
    return slot;
  }

  private renderIn(node: CompiledNode, opts: RuntimeOptions): { sql: string; ephemerals: string[] } {
    let r = runtimeContext(this.shared, node, opts);
    const env = this.shared.contexts.shared.env;
    try {
      if (node.resource_type === 'test' && node.test_metadata) {
        const macroId = node.depends_on.macros[0];
        const macro = macroId ? this.shared.manifest.macros[macroId] : undefined;
        if (!macro) throw new TsdbtError('MACRO_NOT_FOUND', `No macro implements the generic test '${node.test_metadata.name}'`, { file: node.original_file_path });
        const simple = evaluateSimpleTestKwargs(node.test_metadata.kwargs, r.context, fastPaths() ? { resolver: r.resolver, where: node.config.where } : undefined);
        const rendered = renderTestKwargs(simple.rest, env, node.original_file_path, r.context);
        // In the stored order, as the macro's kwargs.
        const kwargs: Record<string, unknown> = {};
        for (const k of Object.keys(node.test_metadata.kwargs)) kwargs[k] = k in simple.values ? simple.values[k] : rendered[k];
        r.context.vars._dbt_generic_test_kwargs = kwargs;
        const out = callJinja(r.resolver.bind(macro), [], kwargs);
        return { sql: String(out ?? '').trim(), ephemerals: r.ephemerals };
      }
      const plain = fastPaths() ? readPlainTemplate(node.raw_code) : undefined;
      if (plain) {
        const sql = renderPlainTemplate(plain, r.context);
        if (sql !== undefined) return { sql, ephemerals: r.ephemerals };
        // Not what the template would print, or an error: the template renders it, in a fresh context.
        r = runtimeContext(this.shared, node, opts);
      }
      const sql = env.render(env.compile(node.raw_code, node.original_file_path), r.context);
      return { sql, ephemerals: r.ephemerals };
    } catch (e) {
      if (e instanceof TsdbtError) throw e.withLocation({ file: node.original_file_path });
      throw e;
    }
  }

  /** Compile: render, then inject ephemeral CTEs. */
  compile(node: CompiledNode, opts: RuntimeOptions = {}): CompileOutput {
    const { sql, ephemerals } = this.render(node, opts);
    if (ephemerals.length === 0) return { sql, ctes: [] };
    const ctes: Cte[] = [];
    const seen = new Set<string>();
    for (const id of ephemerals) this.visitEphemeral(id, [], seen, ctes);
    return { sql: injectCtes(sql, ctes), ctes };
  }

  /** Add ephemeral model `id` to `ctes` after the ones it refs, each once (a method: a closure made per node costs the bundle's keepNames). */
  private visitEphemeral(id: string, chain: string[], seen: Set<string>, ctes: Cte[]): void {
    if (seen.has(id)) return;
    if (chain.includes(id)) throw new TsdbtError('CYCLE', `Ephemeral models ref each other in a cycle: ${[...chain, id].join(' -> ')}`);
    const eph = this.compileEphemeral(id);
    for (const d of eph.deps) this.visitEphemeral(d, [...chain, id], seen, ctes);
    seen.add(id);
    const target = this.shared.manifest.nodes[id]!;
    ctes.push({ id, name: cteName(target), sql: eph.sql });
  }

  private compileEphemeral(id: string): { sql: string; deps: string[] } {
    let hit = this.ephemeral.get(id);
    if (!hit) {
      const node = this.shared.manifest.nodes[id];
      if (!node) throw new TsdbtError('INTERNAL', `ephemeral model ${id} is not in the manifest`);
      const r = this.render(node);
      hit = { sql: r.sql, deps: r.ephemerals };
      this.ephemeral.set(id, hit);
    }
    return hit;
  }

  /** The folder compiledPath() puts every node's SQL under, relative to the project dir: `target/compiled`. */
  compiledRoot(folder: 'compiled' | 'run' = 'compiled'): string {
    return `${this.targetPath}/${folder}`;
  }

  /** Where write() puts a node's SQL, relative to the project dir. */
  compiledPath(node: CompiledNode, folder: 'compiled' | 'run' = 'compiled'): string {
    return compiledPathOf(node, folder, this.targetPath);
  }

  /** Write SQL under target/<folder>/ and return the path relative to the project dir. */
  write(node: CompiledNode, sql: string, folder: 'compiled' | 'run' = 'compiled'): string {
    const rel = compiledPathOf(node, folder, this.targetPath);
    writeFileSyncChecked(pathUnder(this.projectDir, rel), sql);
    return rel;
  }

  /**
   * Start writing SQL under target/<folder>/ from a worker thread (see
   * BackgroundWriter): `path` is relative to the project dir; `wait()` returns
   * once the file is on disk. Runners start the write before the node's query
   * and wait after it, so the write overlaps the database's time.
   */
  writeInBackground(node: CompiledNode, sql: string, folder: 'compiled' | 'run' = 'compiled', splitSuffix?: string): { path: string; wait(): void } {
    return this.writeManyInBackground([{ node, sql, splitSuffix }], folder)[0]!;
  }

  /** writeInBackground for several nodes at once (one message to the writer). */
  writeManyInBackground(items: readonly { node: CompiledNode; sql: string; splitSuffix?: string }[], folder: 'compiled' | 'run' = 'compiled'): { path: string; wait(): void }[] {
    const files = items.map(({ node, sql, splitSuffix }) => {
      const rel = compiledPathOf(node, folder, this.targetPath, splitSuffix);
      return { rel, path: pathUnder(this.projectDir, rel), text: sql };
    });
    const writer = BackgroundWriter.shared();
    if (!writer) {
      for (const f of files) writeFileSyncChecked(f.path, f.text);
      return files.map((f) => ({ path: f.rel, wait: () => undefined }));
    }
    const tickets = writer.writeMany(files);
    return files.map((f, i) => ({ path: f.rel, wait: () => writer.wait(tickets[i]!) }));
  }
}
