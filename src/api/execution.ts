import { join } from 'node:path';
import { DatabaseSession } from '../adapters/base/database-session.js';
import { ResultTable } from '../adapters/base/result-table.js';
import { createRuntimeKit } from '../adapters/base/runtime-kit.js';
import { SyncBridge } from '../adapters/base/sync-bridge.js';
import { NodeCompiler } from '../compile/node-compiler.js';
import type { RuntimeShared } from '../context/runtime-context.js';
import { NodeRunner } from '../execute/node-runner.js';
import type { DependencyGraph } from '../graph/index.js';
import type { IndirectSelection } from '../graph/index.js';
import type { ProjectConfig } from '../project/project-config.js';
import { RefIndex } from '../project/resolve-refs.js';
import type { ParseResult } from '../project/parse.js';
import { connectionOpenerFor } from './connection-openers.js';
import { loadProject, type GlobalOptions, type LoadedProject } from './load-project.js';
import { parseLoaded } from './parse-phase.js';
import { selectFromManifest } from './select-phase.js';

/** Flags shared by the commands that render and run nodes. */
export interface ExecutionOptions extends GlobalOptions {
  select?: string[];
  exclude?: string[];
  selector?: string;
  indirectSelection?: IndirectSelection;
  resourceTypes?: string[];
  fullRefresh?: boolean;
  failFast?: boolean;
  /** `--empty`: refs and sources read as empty relations (schema only). */
  empty?: boolean;
  /** Treat warnings (e.g. warning tests) as errors. */
  warnError?: boolean;
  storeFailures?: boolean;
}

/** Everything a command needs once the project is loaded, parsed, selected and connected. Close it when done. */
export interface Execution {
  loaded: LoadedProject;
  parsed: ParseResult;
  root: ProjectConfig;
  graph: DependencyGraph;
  selected: Set<string>;
  session: DatabaseSession;
  shared: RuntimeShared;
  compiler: NodeCompiler;
  runner: NodeRunner;
  /** Absolute path of the target folder. */
  targetDir: string;
  warnings: string[];
  close(): Promise<void>;
}

/** load → parse → graph/select → connect (the SyncBridge worker) → runtime context. */
export async function openExecution(opts: ExecutionOptions, which: string, defaultResourceTypes: string[] | undefined): Promise<Execution> {
  const loaded = loadProject(opts);
  const flags: Record<string, unknown> = {
    which,
    full_refresh: Boolean(opts.fullRefresh),
    fail_fast: Boolean(opts.failFast),
    empty: Boolean(opts.empty),
    warn_error: Boolean(opts.warnError),
    store_failures: Boolean(opts.storeFailures),
    threads: opts.threads ?? loaded.threads,
  };
  const parsed = parseLoaded(loaded, { flags });
  const root = loaded.root;
  const { graph, selected, warnings } = selectFromManifest(
    loaded.projectDir,
    parsed.manifest,
    { select: opts.select, exclude: opts.exclude, selector: opts.selector, indirectSelection: opts.indirectSelection, resourceTypes: opts.resourceTypes },
    defaultResourceTypes,
  );
  const bridge = await SyncBridge.open(connectionOpenerFor(loaded));
  const session = new DatabaseSession(loaded.adapter, bridge);
  session.onStatement((s) => loaded.logger.debug(loaded.secrets.redact(`${s.ok ? '' : 'FAILED '}(${s.ms.toFixed(1)} ms) ${s.sql}`)));
  const refs = new RefIndex(Object.values(parsed.manifest.nodes), Object.values(parsed.manifest.sources), root.name);
  const shared: RuntimeShared = {
    manifest: parsed.manifest,
    contexts: parsed.contexts,
    session,
    kit: createRuntimeKit(loaded.adapter),
    refs,
    flags: flags as RuntimeShared['flags'],
    selectedResources: [...selected],
  };
  ResultTable.printer = (text) => loaded.logger.info(text);
  const compiler = new NodeCompiler(shared, loaded.projectDir, root.targetPath);
  const runner = new NodeRunner(shared, compiler, parsed.registry);
  return {
    loaded,
    parsed,
    root,
    graph,
    selected,
    session,
    shared,
    compiler,
    runner,
    targetDir: join(loaded.projectDir, root.targetPath),
    warnings: [...parsed.warnings, ...warnings],
    close: async () => {
      try {
        session.commit();
      } finally {
        await bridge.close();
      }
    },
  };
}
