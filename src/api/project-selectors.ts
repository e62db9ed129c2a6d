import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { manifestSelectors } from '../graph/manifest-selectors.js';
import { loadSelectorsFrom, renderSelectorsYaml, selectorsHaveJinja, type SelectorDefinition } from '../graph/selectors-yaml.js';
import { parseYaml, type ParsedYaml } from '../util/yaml.js';

const FILE = 'selectors.yml';

/** The last selectors.yml loaded: its path, its text, what it read as and what it defines. */
let last: { path: string; text: string; yaml: ParsedYaml; selectors: Record<string, SelectorDefinition> } | undefined;

/**
 * selectors.yml with Jinja in it, as the project load rendered it (its values
 * need the load's context: env_var, --vars, target), or the error rendering
 * it raised, thrown when the selectors are used.
 */
let rendered: { path: string; text: string; yaml?: ParsedYaml; error?: unknown } | undefined;

/**
 * Renders a project's selectors.yml (`text`) when it holds Jinja, as dbt
 * renders it with dbt_project.yml's renderer when the project loads. Called
 * by the load (load-project.ts), whose renderer records what it reads (env
 * vars) for the quick start. A failure is kept and thrown, located, when
 * the selectors are read: a parse reads them for manifest.json, so every
 * command that parses fails, as dbt fails to load such a project.
 */
export function renderProjectSelectors(projectDir: string, text: string | null, render: (text: string, file: string, line: number | undefined) => unknown): void {
  if (text === null || !selectorsHaveJinja(text)) return;
  const path = join(projectDir, FILE);
  try {
    rendered = { path, text, yaml: renderSelectorsYaml(parseYaml(text, FILE), (t, line) => render(t, FILE, line)) };
  } catch (e) {
    rendered = { path, text, error: e };
  }
}

/** selectors.yml at `path` reading `text`, its Jinja rendered (see renderProjectSelectors). */
function selectorsYaml(path: string, text: string): ParsedYaml {
  if (!selectorsHaveJinja(text)) return parseYaml(text, FILE);
  if (rendered && rendered.path === path && rendered.text === text) {
    if (rendered.error !== undefined) throw rendered.error;
    return rendered.yaml!;
  }
  // Only a command that has not loaded the project gets here (a quick path, which then takes the full one).
  throw new TsdbtError('SELECTOR_INVALID', 'Invalid selectors.yml: its Jinja is rendered when the project loads', { file: FILE, hint: 'Load the project first.' });
}

/**
 * A project's YAML selectors (selectors.yml beside dbt_project.yml), or
 * undefined when it has none. Loaded again only when its text (or, with
 * Jinja, its rendering) changed: a command asks several times (whether the
 * selection index answers, then the selection itself). A file that does not
 * load throws its located TsdbtError.
 */
export function projectSelectors(projectDir: string): Record<string, SelectorDefinition> | undefined {
  const path = join(projectDir, FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  // The same text, and with Jinja the same rendering: read already.
  if (last && last.path === path && last.text === text && (!selectorsHaveJinja(text) || last.yaml === rendered?.yaml)) return last.selectors;
  const yaml = selectorsYaml(path, text);
  const selectors = loadSelectorsFrom(yaml);
  last = { path, text, yaml, selectors };
  return selectors;
}

/**
 * manifest.json's `selectors` of a project whose selectors.yml reads `text` (graph/manifest-selectors.ts),
 * rendered: {} without one (`text` null); one that does not load throws its located error, as dbt
 * fails to load such a project.
 */
export function projectManifestSelectors(projectDir: string, text: string | null): Record<string, Record<string, unknown>> {
  if (text === null) return {};
  const yaml = selectorsYaml(join(projectDir, FILE), text);
  loadSelectorsFrom(yaml);
  const root = yaml.value as { selectors?: unknown } | null;
  return Array.isArray(root?.selectors) ? manifestSelectors(root.selectors) : {};
}

/** What the parse cache is keyed on for selectors.yml: its text and, with Jinja, its rendered values (or the error). */
export function selectorsCacheKey(projectDir: string, text: string | null): string | null {
  if (text === null || !selectorsHaveJinja(text)) return text;
  try {
    return JSON.stringify([text, selectorsYaml(join(projectDir, FILE), text).value]);
  } catch (e) {
    return JSON.stringify([text, String(e)]);
  }
}
