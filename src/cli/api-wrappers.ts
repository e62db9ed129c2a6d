import { join } from 'node:path';
import { loadProject, type GlobalOptions } from '../api/load-project.js';
import { parseLoaded, writeParseArtifacts } from '../api/parse-phase.js';
import { buildGraph } from '../graph/index.js';
import type { Manifest } from '../manifest/types.js';
import { summariseManifest } from './commands/summary.js';
import { invoke } from './invoke.js';
import { targetDirOf } from '../api/target-dir.js';

export type ParseOptions = GlobalOptions;

/** `tsdbt parse`: the project's manifest (also written to target/manifest.json, unless `writeJson` is false); throws TsdbtError on a broken project. */
export async function parse(opts: ParseOptions = {}): Promise<{ manifest: Manifest; warnings: string[]; manifestPath: string }> {
  const loaded = loadProject(opts);
  const { manifest, warnings } = parseLoaded(loaded, { flags: { WHICH: 'parse' } });
  buildGraph(manifest);
  const targetDir = targetDirOf(loaded);
  const manifestPath = loaded.writeJson ? writeParseArtifacts(targetDir, manifest, summariseManifest(manifest)) : join(targetDir, 'manifest.json');
  return { manifest, warnings: [...loaded.warnings, ...warnings], manifestPath };
}

export interface LsOptions {
  projectDir?: string;
  profilesDir?: string;
  target?: string;
  select?: string[];
  exclude?: string[];
  resourceTypes?: string[];
  output?: 'selector' | 'name' | 'path' | 'json';
}

/** `tsdbt ls`: the selected resources, one string each, as the CLI prints them. */
export async function ls(opts: LsOptions = {}): Promise<string[]> {
  const args = ['ls'];
  if (opts.projectDir) args.push('--project-dir', opts.projectDir);
  if (opts.profilesDir) args.push('--profiles-dir', opts.profilesDir);
  if (opts.target) args.push('--target', opts.target);
  if (opts.select?.length) args.push('--select', ...opts.select);
  if (opts.exclude?.length) args.push('--exclude', ...opts.exclude);
  if (opts.resourceTypes?.length) args.push('--resource-type', ...opts.resourceTypes);
  if (opts.output) args.push('--output', opts.output);
  args.push('--quiet');
  const r = await invoke<string[]>(args);
  if (!r.success) throw new Error(r.stderr.trim() || `tsdbt ls failed with exit code ${r.exitCode}`);
  return r.result ?? [];
}
