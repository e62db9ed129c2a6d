import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSelectorsYaml } from '../graph/selectors-yaml.js';
import type { Manifest } from '../manifest/types.js';
import { selectWith, type Selected, type SelectionFlags } from './select-graph.js';

export type { Selected, SelectionFlags };

/** graph → select: the DAG (cycles are errors) and the nodes a command acts on. */
export function selectFromManifest(projectDir: string, manifest: Manifest, flags: SelectionFlags, defaultResourceTypes?: string[]): Selected {
  const file = join(projectDir, 'selectors.yml');
  return selectWith(manifest, flags, defaultResourceTypes, () => (existsSync(file) ? loadSelectorsYaml('selectors.yml', readFileSync(file, 'utf8')) : undefined));
}
