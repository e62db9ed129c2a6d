import type { GlobalOptions } from '../api/load-project.js';
import type { SelectionFlags } from '../api/select-phase.js';
import type { StateOptions } from '../api/state-artifacts.js';
import type { ParsedArgv } from './argv.js';
import type { Output } from './output.js';
import type { WarnErrorOptions } from './warn-error-options.js';

/** What every command receives: parsed argv, the output, and the process environment. */
export interface CommandContext {
  argv: ParsedArgv;
  out: Output;
  env: Record<string, string | undefined>;
  cwd: string;
  /** --warn-error-options (or DBT_WARN_ERROR_OPTIONS) as read, when given (cli/warn-error-options.ts). */
  warnErrorOptions?: WarnErrorOptions;
  /** Receives the command's result object (for `invoke`: the CommandResult, the manifest, the ls lines). */
  report?: (result: unknown) => void;
}

export function globalOptions(ctx: CommandContext): GlobalOptions {
  const f = ctx.argv.flags;
  const threads = f.threads === undefined ? undefined : Number(f.threads);
  return {
    invocationId: ctx.out.invocationId || undefined,
    projectDir: (f.projectDir as string | undefined) ?? ctx.cwd,
    profilesDir: f.profilesDir as string | undefined,
    target: f.target as string | undefined,
    vars: f.vars as string | undefined,
    threads: threads !== undefined && Number.isFinite(threads) && threads > 0 ? threads : undefined,
    env: ctx.env,
    logger: ctx.out,
    profile: f.profile as string | undefined,
    targetPath: f.targetPath as string | undefined,
    logPath: f.logPath as string | undefined,
    // dbt parses partially unless --no-partial-parse or DBT_PARTIAL_PARSE=false (a flag wins).
    partialParse: f.partialParse === true || f.noPartialParse !== true,
    // dbt writes its JSON artifacts unless --no-write-json or DBT_WRITE_JSON=false (a flag wins).
    writeJson: f.writeJson === true || f.noWriteJson !== true,
  };
}

/**
 * `--state`, `--defer`, `--defer-state`, `--favor-state`, each falling back
 * to its DBT_* environment variable (a flag wins; `--no-defer` and
 * `--no-favor-state` switch the variables off).
 */
export function stateFlags(ctx: CommandContext): StateOptions {
  const f = ctx.argv.flags;
  const env = ctx.env;
  const truthy = (v: string | undefined) => v !== undefined && ['1', 'true', 'yes'].includes(v.toLowerCase());
  return {
    state: (f.state as string | undefined) ?? (env.DBT_STATE || undefined),
    deferState: (f.deferState as string | undefined) ?? (env.DBT_DEFER_STATE || undefined),
    defer: f.noDefer ? false : Boolean(f.defer) || truthy(env.DBT_DEFER),
    favorState: f.noFavorState ? false : Boolean(f.favorState) || truthy(env.DBT_FAVOR_STATE),
  };
}

export function selectionFlags(ctx: CommandContext): SelectionFlags {
  const f = ctx.argv.flags;
  return {
    select: f.select as string[] | undefined,
    exclude: f.exclude as string[] | undefined,
    selector: f.selector as string | undefined,
    resourceTypes: f.resourceType as string[] | undefined,
    excludeResourceTypes: f.excludeResourceType as string[] | undefined,
    indirectSelection: f.indirectSelection as SelectionFlags['indirectSelection'],
  };
}

/** A command: returns the process exit code (0 ok, 1 failures, 2 invocation errors). */
export type Command = (ctx: CommandContext) => Promise<number>;
