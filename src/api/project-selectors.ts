import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSelectorsYaml, type SelectorDefinition } from '../graph/selectors-yaml.js';

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
