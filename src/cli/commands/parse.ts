import { join } from 'node:path';
import { loadProject } from '../../api/load-project.js';
import { parseLoaded, writeManifests } from '../../api/parse-phase.js';
import { buildGraph } from '../../graph/index.js';
import { globalOptions, type Command } from '../command-context.js';
import { summariseManifest } from './summary.js';

/** `tsdbt parse`: parse the project and write target/manifest.json. */
export const parseCommand: Command = async (ctx) => {
  const started = performance.now();
  const loaded = loadProject(globalOptions(ctx));
  const result = parseLoaded(loaded, { flags: { WHICH: 'parse' } });
  buildGraph(result.manifest); // a cycle is a parse error
  for (const w of result.warnings) ctx.out.warn(w);
  // With target/semantic_manifest.json when the project declares a semantic layer, as dbt writes it.
  const path = writeManifests(join(loaded.projectDir, loaded.root.targetPath), result.manifest);
  ctx.report?.(result.manifest);
  ctx.out.info(summariseManifest(result.manifest));
  ctx.out.info(`Performance info: parsed in ${((performance.now() - started) / 1000).toFixed(2)}s; wrote ${path}`);
  return 0;
};
