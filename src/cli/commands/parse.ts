import { join } from 'node:path';
import { loadProject } from '../../api/load-project.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { parseLoaded, relationNodesByName, semanticManifestOf } from '../../api/parse-phase.js';
import { semanticManifestJson } from '../../semantic/manifest-json.js';
import { buildGraph } from '../../graph/index.js';
import { writeManifest } from '../../artifacts/manifest-writer.js';
import { globalOptions, type Command } from '../command-context.js';
import { summariseManifest } from './summary.js';

/** `tsdbt parse`: parse the project and write target/manifest.json. */
export const parseCommand: Command = async (ctx) => {
  const started = performance.now();
  const loaded = loadProject(globalOptions(ctx));
  const result = parseLoaded(loaded, { flags: { WHICH: 'parse' } });
  buildGraph(result.manifest); // a cycle is a parse error
  for (const w of result.warnings) ctx.out.warn(w);
  const path = writeManifest(join(loaded.projectDir, loaded.root.targetPath), result.manifest);
  // dbt writes the semantic manifest next to manifest.json when the project declares a semantic layer.
  const semantic = semanticManifestOf(result.manifest);
  if (semantic.semanticModels.length || semantic.metrics.length) {
    const json = JSON.stringify(semanticManifestJson(semantic, relationNodesByName(result.manifest)));
    writeFileAtomic(join(loaded.projectDir, loaded.root.targetPath, 'semantic_manifest.json'), json, 'the semantic manifest');
  }
  ctx.report?.(result.manifest);
  ctx.out.info(summariseManifest(result.manifest));
  ctx.out.info(`Performance info: parsed in ${((performance.now() - started) / 1000).toFixed(2)}s; wrote ${path}`);
  return 0;
};
