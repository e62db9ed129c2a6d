import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { DeferRelations } from '../context/runtime-context.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { FreshnessEntry, PreviousState, StateManifest, StateRecord } from '../graph/previous-state.js';

/** `--state`, `--defer`, `--defer-state`, `--favor-state` as the API takes them. */
export interface StateOptions {
  /** Folder holding another run's manifest.json (and optionally run_results.json, sources.json). Relative to the project. */
  state?: string;
  /** Resolve refs to unselected nodes missing from the target to the state manifest's relations. */
  defer?: boolean;
  /** The manifest to defer to, when it differs from --state. */
  deferState?: string;
  /** With defer: unselected nodes always resolve to the state relations, even when the target has them. */
  favorState?: boolean;
}

/** Read a state folder (dbt's PreviousState): manifest.json is required, the other artifacts are optional. */
export function loadPreviousState(projectDir: string, stateDir: string, targetDir: string, flag = '--state'): PreviousState {
  const path = isAbsolute(stateDir) ? stateDir : resolve(projectDir, stateDir);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new TsdbtError('STATE_INVALID', `${flag} ${stateDir}: no such folder (${path})`, {
      hint: `Point ${flag} at the target/ folder of the run to compare against (it holds manifest.json).`,
    });
  }
  const manifestPath = join(path, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new TsdbtError('STATE_INVALID', `${flag} ${stateDir} has no manifest.json (looked for ${manifestPath})`, {
      hint: `Copy manifest.json from the comparison run's target/ folder into ${stateDir}, or point ${flag} at that target/ folder.`,
    });
  }
  const raw = readJson(manifestPath) as Partial<Record<keyof StateManifest, Record<string, StateRecord>>>;
  const manifest: StateManifest = {
    nodes: raw.nodes ?? {},
    sources: raw.sources ?? {},
    exposures: raw.exposures ?? {},
    unit_tests: raw.unit_tests ?? {},
    macros: raw.macros ?? {},
  };
  const results = optionalJson(join(path, 'run_results.json')) as { results?: { unique_id: string; status: string }[] } | null;
  const sources = optionalJson(join(path, 'sources.json')) as { results?: FreshnessEntry[] } | null;
  const current = optionalJson(join(targetDir, 'sources.json')) as { results?: FreshnessEntry[] } | null;
  return {
    path,
    manifest,
    results: results ? (results.results ?? []) : null,
    sources: sources ? (sources.results ?? []) : null,
    sourcesCurrent: current ? (current.results ?? []) : null,
  };
}

/**
 * The relations --defer may resolve refs to: every model, seed and snapshot
 * of the defer manifest that the current project also has, except
 * ephemeral models (dbt's merge_from_artifact).
 */
export function deferRelationsOf(state: PreviousState, currentIds: ReadonlySet<string>): DeferRelations['relations'] {
  const out: DeferRelations['relations'] = {};
  for (const [id, node] of Object.entries(state.manifest.nodes)) {
    if (!currentIds.has(id)) continue;
    if (!['model', 'seed', 'snapshot'].includes(String(node.resource_type))) continue;
    const config = (node.config ?? {}) as { materialized?: string };
    if (config.materialized === 'ephemeral') continue;
    out[id] = {
      database: (node.database as string | null | undefined) ?? null,
      schema: String(node.schema),
      identifier: String(node.alias ?? node.name),
    };
  }
  return out;
}

/** The state comparison and defer relations an invocation asks for (DBT_* env vars apply through the CLI). */
export function resolveStateOptions(projectDir: string, targetDir: string, opts: StateOptions): { state?: PreviousState; defer?: { state: PreviousState; favorState: boolean } } {
  const state = opts.state ? loadPreviousState(projectDir, opts.state, targetDir) : undefined;
  if (!opts.defer) return { state };
  const deferFrom = opts.deferState ? loadPreviousState(projectDir, opts.deferState, targetDir, '--defer-state') : state;
  if (!deferFrom) {
    throw new TsdbtError('STATE_REQUIRED', '--defer needs the manifest of the run to defer to, and neither --state nor --defer-state was given', {
      hint: 'Add --state <dir> (or --defer-state <dir>, or set DBT_STATE) pointing at the production run\'s target/ folder.',
    });
  }
  return { state, defer: { state: deferFrom, favorState: Boolean(opts.favorState) } };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TsdbtError('STATE_INVALID', `${file} is not valid JSON: ${(e as Error).message}`, {
      file,
      hint: 'Regenerate it with a parse or run of the comparison project.',
    });
  }
}

function optionalJson(file: string): unknown {
  return existsSync(file) ? readJson(file) : null;
}
