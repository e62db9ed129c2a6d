import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestSelectors } from '../graph/manifest-selectors.js';
import { loadSelectorsYaml, type SelectorDefinition } from '../graph/selectors-yaml.js';
import { parseYaml } from '../util/yaml.js';

/** The last selectors.yml loaded: its path, its text and what it defines. */
let last: { path: string; text: string; selectors: Record<string, SelectorDefinition> } | undefined;

/**
 * A project's YAML selectors (selectors.yml beside dbt_project.yml), or
 * undefined when it has none. Loaded again only when its text changed: a
 * command asks several times (whether the selection index answers, then the
 * selection itself). A file that does not load throws loadSelectorsYaml's
 * located TsdbtError.
 */
export function projectSelectors(projectDir: string): Record<string, SelectorDefinition> | undefined {
  const path = join(projectDir, 'selectors.yml');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (last && last.path === path && last.text === text) return last.selectors;
  const selectors = loadSelectorsYaml('selectors.yml', text);
  last = { path, text, selectors };
  return selectors;
}

/**
 * manifest.json's `selectors` of a project whose selectors.yml reads `text` (graph/manifest-selectors.ts):
 * {} without one (`text` null); one that does not load throws loadSelectorsYaml's located error, as dbt
 * fails to load such a project.
 */
export function projectManifestSelectors(text: string | null): Record<string, Record<string, unknown>> {
  if (text === null) return {};
  loadSelectorsYaml('selectors.yml', text);
  const root = parseYaml(text, 'selectors.yml').value as { selectors?: unknown } | null;
  return Array.isArray(root?.selectors) ? manifestSelectors(root.selectors) : {};
}
