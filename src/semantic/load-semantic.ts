import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { join, relative } from 'node:path';
import { TsdbtError, TsdbtErrorList } from '../errors/tsdbt-error.js';
import { parseYaml } from '../util/yaml.js';
import { readSemanticYaml } from './read-yaml.js';
import type { SemanticManifest } from './types.js';
import { validateSemanticManifest } from './validate.js';

/** Where the semantic YAML lives: the project's model paths, relative to its directory. */
export interface SemanticSource {
  projectDir: string;
  projectName: string;
  modelPaths: string[];
  /** Model names that exist (for "semantic model reads an unknown model"); null skips the check. */
  knownModels: KnownModels | null;
}

/**
 * Model names that exist: a set, or one asked for only when needed (`all`)
 * with `has` answering the one name a project without a semantic layer is
 * asked about (its legacy time spine), so parse builds no set of every name
 * for a project that has none.
 */
export type KnownModels = ReadonlySet<string> | { has(name: string): boolean; all(): ReadonlySet<string> };

const allKnown = (known: KnownModels | null): ReadonlySet<string> | null => (known === null || known instanceof Set ? known : (known as { all(): ReadonlySet<string> }).all());

const YAML_NAME = /\.ya?ml$/;

/** Words one of which SEMANTIC_KEY needs: a text without any is passed over by a substring search, faster than the pattern's scan of a large file. */
const SEMANTIC_WORDS = ['semantic_model', 'metrics', 'saved_queries', 'time_spine'];
/** A text that may declare part of the semantic layer (a key of one of its kinds). */
const SEMANTIC_KEY = /(semantic_models?|metrics|saved_queries|time_spine)\s*:/;

function yamlFiles(dir: string, out: string[] = []): string[] {
  let entries: Dirent[];
  try { entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)); } catch { return out; }
  for (const entry of entries) {
    // The entry's type comes with the listing; only a symbolic link needs a stat (to what it points at). Joined only when
    // kept or followed: a model folder is mostly .sql files (10,000 at 10,000 models).
    const yaml = YAML_NAME.test(entry.name);
    if (!yaml && !entry.isDirectory() && !entry.isSymbolicLink()) continue;
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink() ? statSync(path).isDirectory() : entry.isDirectory()) yamlFiles(path, out);
    else if (YAML_NAME.test(entry.name)) out.push(path);
  }
  return out;
}

/** Parse semantic YAML texts (file → text) into a validated semantic manifest; throws every problem at once. */
export function buildSemanticManifest(files: { file: string; text: string }[], projectName: string, known: KnownModels | null): SemanticManifest {
  const errors: TsdbtError[] = [];
  const manifest: SemanticManifest = { projectName, semanticModels: [], metrics: [], savedQueries: [], timeSpines: [] };
  for (const { file, text } of files) {
    if (!SEMANTIC_WORDS.some((w) => text.includes(w)) || !SEMANTIC_KEY.test(text)) continue;
    const parts = readSemanticYaml(parseYaml(text, file), projectName, errors);
    manifest.semanticModels.push(...parts.semanticModels);
    manifest.metrics.push(...parts.metrics);
    manifest.savedQueries.push(...parts.savedQueries);
    manifest.timeSpines.push(...parts.timeSpines);
  }
  // The legacy spine: a model named metricflow_time_spine with a date_day column.
  if (manifest.timeSpines.length === 0 && known?.has('metricflow_time_spine')) {
    manifest.timeSpines.push({ modelName: 'metricflow_time_spine', column: 'date_day', grain: 'day', customGranularities: [], file: 'metricflow_time_spine', legacy: true });
  }
  // Only a semantic model looks its model up.
  errors.push(...validateSemanticManifest(manifest, manifest.semanticModels.length > 0 ? allKnown(known) : null));
  if (errors.length) throw errors.length === 1 ? errors[0]! : new TsdbtErrorList(errors);
  // Metrics from `create_metric: true` measures.
  for (const sm of manifest.semanticModels) {
    for (const m of sm.measures) {
      if (!m.createMetric || manifest.metrics.some((x) => x.name === m.name)) continue;
      manifest.metrics.push({ name: m.name, type: 'simple', label: m.label ?? m.name, description: m.description ?? '', filter: [], meta: {}, measure: { name: m.name, filter: [], alias: null, fillNullsWith: null, joinToTimespine: false }, numerator: null, denominator: null, expr: null, metrics: [], window: null, grainToDate: null, conversion: null, packageName: sm.packageName, file: sm.file, line: sm.line });
    }
  }
  return manifest;
}

/** Read every YAML file under the model paths and build the semantic manifest. */
export function loadSemanticManifest(src: SemanticSource): SemanticManifest {
  const files = src.modelPaths.flatMap((p) => yamlFiles(join(src.projectDir, p))).map((path) => ({ file: relative(src.projectDir, path), text: readFileSync(path, 'utf8') }));
  return buildSemanticManifest(files, src.projectName, src.knownModels);
}
