import { join } from 'node:path';
import type { MacroRegistry } from '../context/macro-registry.js';
import { runtimeContext } from '../context/runtime-context.js';
import type { Macro } from '../manifest/types.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { onConnectionNamed, scopedOperation } from '../execute/operations.js';
import { callJinja } from '../jinja/index.js';
import { isRecord, parseYaml } from '../util/yaml.js';
import { artifactWriteError } from './command-artifacts.js';
import { writeCommandManifest } from './command-manifest.js';
import { openExecution, type Execution, type ExecutionOptions } from './execution.js';
import { writeOperationResults } from './operation-results.js';

export interface RunOperationOptions extends ExecutionOptions {
  /** `--args '{...}'`: YAML or JSON mapping, or an object. */
  args?: string | Record<string, unknown>;
  /** Told once the project is loaded, before the macro runs (the CLI prints dbt's version and adapter lines then). */
  onReady?: (info: { adapterType: string; invocationId: string }) => void;
}

export interface RunOperationResult {
  success: boolean;
  macro: string;
  /** What the macro returned (via return()) or rendered. */
  returned: unknown;
  /** Every statement the macro ran. */
  statements: string[];
  error?: TsdbtError;
  /** target/run_results.json, written as dbt writes it (not with --no-write-json). */
  runResultsPath?: string;
  /** That file could not be written (the macro's own outcome is `success`). */
  artifactErrors: TsdbtError[];
}

function parseArgs(args: RunOperationOptions['args']): Record<string, unknown> {
  if (args === undefined) return {};
  if (typeof args !== 'string') return args;
  let parsed: unknown;
  try {
    // As dbt's --args (PyYAML): `{full: yes}` passes True.
    parsed = parseYaml(args, '--args').value;
  } catch (e) {
    throw new TsdbtError('USAGE', `--args is not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`, { hint: `Pass a mapping, e.g. --args '{"table": "orders"}'.` });
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isRecord(parsed)) throw new TsdbtError('USAGE', `--args must be a mapping of argument names to values, got: ${args}`, { hint: `e.g. --args '{days: 7}'` });
  return parsed;
}

/**
 * The macro `run-operation <name>` runs, as dbt's find_macro_by_name ranks
 * them: the root project's, then an installed package's (re_data's
 * `generate_overview` is run so), then dbt's own.
 */
function operationMacro(registry: MacroRegistry, rootName: string, name: string): Macro | undefined {
  const root = registry.inPackage(rootName, name);
  if (root) return root;
  for (const pkg of registry.packageNames()) {
    if (pkg === rootName || registry.internalPackages.includes(pkg)) continue;
    const found = registry.inPackage(pkg, name);
    if (found) return found;
  }
  return registry.find(name, rootName);
}

/**
 * `run-operation <macro> --args '{...}'`: call a macro (`name` or
 * `package.name`) with keyword arguments in a runtime context, commit what it
 * did. A failure is returned (success false), not thrown, except for usage errors.
 */
export async function runOperation(macroName: string, opts: RunOperationOptions = {}): Promise<RunOperationResult> {
  const kwargs = parseArgs(opts.args);
  const exec = await openExecution(opts, 'run-operation', []);
  opts.onReady?.({ adapterType: exec.loaded.adapter.type, invocationId: exec.loaded.invocationId });
  try {
    // As dbt: manifest.json is written when the manifest is loaded, before the command runs.
    writeCommandManifest(exec);
    const registry = exec.parsed.registry;
    const [pkg, name] = macroName.includes('.') ? (macroName.split('.', 2) as [string, string]) : [null, macroName];
    const macro = pkg ? registry.inPackage(pkg, name) : operationMacro(registry, exec.root.name, name);
    if (!macro) {
      throw new TsdbtError('MACRO_NOT_FOUND', `No macro named '${macroName}' was found in the project or its packages`, {
        hint: 'Check the name (and package prefix); macros live in the macro-paths of dbt_project.yml.',
      });
    }
    // As dbt's macro context: names resolve from the macro's own package (its vars too), not the root project's.
    const node = scopedOperation({ shared: exec.shared, compiler: exec.compiler, projectName: macro.package_name, projectDir: exec.loaded.projectDir }, `run-operation.${macroName}`, '');
    const statements: string[] = [];
    const stop = exec.session.onStatement((s) => statements.push(s.sql));
    const startedAt = new Date();
    const results = (success: boolean) => operationResults(exec, { macroId: macro.unique_id, success, startedAt, args: { which: 'run-operation', macro: macroName, args: typeof opts.args === 'string' ? opts.args : JSON.stringify(opts.args ?? {}) } });
    try {
      const r = runtimeContext(exec.shared, node, { allowUndeclaredRefs: true });
      // dbt runs the macro on a connection named `macro_<name as given>` (the query comment's connection_name).
      const returned = onConnectionNamed(exec.shared, `macro_${macroName}`, () => callJinja(r.resolver.bind(macro), [], kwargs));
      exec.session.commit();
      return { success: true, macro: macroName, returned, statements, ...results(true) };
    } catch (e) {
      exec.session.rollbackIfOpen();
      const error = e instanceof TsdbtError ? e : new TsdbtError('INTERNAL', String(e));
      return { success: false, macro: macroName, returned: null, statements, error: error.withLocation({ file: macro.original_file_path }), ...results(false) };
    } finally {
      stop();
    }
  } finally {
    await exec.close();
  }
}

/** run_results.json for the operation that ended now (operation-results.ts), unless --no-write-json; a failed write as an artifact error. */
function operationResults(exec: Execution, run: { macroId: string; success: boolean; startedAt: Date; args: Record<string, unknown> }): Pick<RunOperationResult, 'runResultsPath' | 'artifactErrors'> {
  if (!exec.loaded.writeJson) return { artifactErrors: [] };
  try {
    return { runResultsPath: writeOperationResults(exec.targetDir, { ...run, completedAt: new Date(), invocationId: exec.loaded.invocationId }), artifactErrors: [] };
  } catch (e) {
    return { artifactErrors: [artifactWriteError(join(exec.targetDir, 'run_results.json'), e)] };
  }
}
