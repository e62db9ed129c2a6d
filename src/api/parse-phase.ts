import { join } from 'node:path';
import { writeManifest } from '../artifacts/manifest-writer.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { VarResolver } from '../context/vars.js';
import type { CompiledNode, Manifest } from '../manifest/types.js';
import { parseProject, type ParseResult } from '../project/parse.js';
import { loadSemanticManifest } from '../semantic/load-semantic.js';
import { manifestEntries, semanticManifestJson } from '../semantic/manifest-json.js';
import type { SemanticManifest } from '../semantic/types.js';
import type { LoadedProject } from './load-project.js';

export interface ParseOptions {
  flags?: Record<string, unknown>;
}

/** parse: the loaded project's files into a Manifest (every broken file reported at once). */
export function parseLoaded(loaded: LoadedProject, opts: ParseOptions = {}): ParseResult {
  const userPackages = loaded.packages.filter((p) => p.kind !== 'internal');
  const vars = new VarResolver(
    loaded.cliVars,
    loaded.root.name,
    loaded.root.vars,
    Object.fromEntries(userPackages.filter((p) => p.kind === 'dependency').map((p) => [p.config.name, p.config.vars])),
  );
  const result = parseProject({
    packages: loaded.packages,
    env: loaded.jinja,
    adapter: loaded.adapter,
    shared: {
      target: loaded.target,
      vars,
      osEnv: loaded.env,
      secrets: loaded.secrets,
      invocationId: loaded.invocationId,
      runStartedAt: loaded.runStartedAt,
      flags: opts.flags ?? {},
      logger: loaded.logger,
    },
  });
  result.warnings.unshift(...loaded.warnings);
  attachSemanticLayer(loaded, result.manifest);
  return result;
}

const semanticByManifest = new WeakMap<Manifest, SemanticManifest>();

/** Models, seeds and snapshots by name (what a semantic model's ref() may name). */
export function relationNodesByName(manifest: Manifest): Map<string, CompiledNode> {
  const out = new Map<string, CompiledNode>();
  for (const n of Object.values(manifest.nodes)) if (n.resource_type === 'model' || n.resource_type === 'seed' || n.resource_type === 'snapshot') out.set(n.name, n as CompiledNode);
  return out;
}

/**
 * The semantic layer is part of parse, as in dbt: its YAML is read and
 * validated (located errors fail the parse) and the manifest gets its
 * semantic_models, metrics and saved_queries entries.
 */
function attachSemanticLayer(loaded: LoadedProject, manifest: Manifest): void {
  const models = relationNodesByName(manifest);
  const semantic = loadSemanticManifest({ projectDir: loaded.projectDir, projectName: loaded.root.name, modelPaths: loaded.root.modelPaths, knownModels: new Set(models.keys()) });
  semanticByManifest.set(manifest, semantic);
  if (semantic.semanticModels.length === 0 && semantic.metrics.length === 0 && semantic.savedQueries.length === 0) return;
  Object.assign(manifest, manifestEntries(semantic, models));
}

/** The semantic manifest parse read for this manifest. */
export function semanticManifestOf(manifest: Manifest): SemanticManifest {
  const sm = semanticByManifest.get(manifest);
  if (!sm) throw new Error('semanticManifestOf: the manifest was not produced by parseLoaded');
  return sm;
}

/**
 * Write target/manifest.json and, as dbt does next to it, semantic_manifest.json
 * when the project declares a semantic layer (skipped, at no cost, when it has none
 * or when the manifest did not come from parseLoaded, e.g. a state manifest).
 */
export function writeManifests(targetDir: string, manifest: Manifest): string {
  const path = writeManifest(targetDir, manifest);
  const semantic = semanticByManifest.get(manifest);
  if (semantic && (semantic.semanticModels.length || semantic.metrics.length || semantic.savedQueries.length)) {
    writeFileAtomic(join(targetDir, 'semantic_manifest.json'), JSON.stringify(semanticManifestJson(semantic, relationNodesByName(manifest))), 'the semantic manifest');
  }
  return path;
}
