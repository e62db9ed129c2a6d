import type { Manifest } from '../manifest/types.js';
import { SemanticLayer, semanticDialectFor } from '../semantic/semantic-layer.js';
import { openExecution } from './execution.js';
import { loadProject, type GlobalOptions } from './load-project.js';
import { parseLoaded, relationNodesByName, semanticManifestOf } from './parse-phase.js';

/**
 * Load a project's semantic layer: parse the project (for the models'
 * relations), read and validate its semantic YAML, and inline the SQL of
 * ephemeral models that back a semantic model or time spine (compiled
 * through a short-lived execution, since rendering needs the adapter).
 */
export async function openSemanticLayer(opts: GlobalOptions & { inlineEphemeral?: boolean } = {}): Promise<{ layer: SemanticLayer; loaded: ReturnType<typeof loadProject>; manifest: Manifest; relationOf: (model: string) => string }> {
  const loaded = loadProject(opts);
  const parsed = parseLoaded(loaded, { flags: { WHICH: 'sl' } });
  const models = relationNodesByName(parsed.manifest);
  const manifest = semanticManifestOf(parsed.manifest);
  const used = new Set([...manifest.semanticModels.map((m) => m.modelName), ...manifest.timeSpines.map((s) => s.modelName)]);
  const inlined = new Map<string, string>();
  const ephemeral = [...used].sort().filter((name) => models.get(name)?.config.materialized === 'ephemeral');
  if (ephemeral.length && opts.inlineEphemeral !== false) {
    const exec = await openExecution(opts, 'compile', []);
    try {
      for (const name of ephemeral) inlined.set(name, `(\n${exec.compiler.compile(exec.parsed.manifest.nodes[models.get(name)!.unique_id]!).sql.trim()}\n)`);
    } finally {
      await exec.close();
    }
  }
  const relationOf = (name: string) => inlined.get(name) ?? models.get(name)?.relation_name ?? `(select 1) /* ephemeral ${name} */`;
  return { layer: new SemanticLayer(manifest, semanticDialectFor(loaded.adapter.type), relationOf), loaded, manifest: parsed.manifest, relationOf };
}
