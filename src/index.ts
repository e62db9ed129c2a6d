/**
 * tsdbt's API for Node: each command as a function over plain options, and
 * `invoke(args)` for anything the CLI can do.
 *
 *   import { build, invoke } from 'tsdbt';
 *   const result = await build({ projectDir: 'my_project', select: ['orders+'] });
 */
export { build, run, seed, snapshot, test, type CommandResult, type RunOptions, type RunReadyInfo, type NodeCommand } from './api/run.js';
export { compile, type CompileOptions, type CompileResult } from './api/compile.js';
export { show, type ShowOptions, type ShowResult } from './api/show.js';
export { runOperation, type RunOperationOptions, type RunOperationResult } from './api/run-operation.js';
export { retry } from './api/retry.js';
export { sourceFreshness } from './api/source-freshness.js';
export { docsGenerate } from './api/docs-generate.js';
export type { ExecutionOptions } from './api/execution.js';
export type { GlobalOptions } from './api/load-project.js';
export type { NodeResult, NodeStatus } from './execute/node-result.js';
export type { Manifest, CompiledNode } from './manifest/types.js';
export { TsdbtError } from './errors/tsdbt-error.js';
export { invoke, type InvokeOptions, type InvokeResult } from './cli/invoke.js';
export { parse, ls, type ParseOptions, type LsOptions } from './cli/api-wrappers.js';
