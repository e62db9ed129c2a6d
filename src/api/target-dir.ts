import type { LoadedProject } from './load-project.js';
import { pathUnder } from '../util/files.js';

/**
 * The project's target folder (target-path, --target-path, DBT_TARGET_PATH), or a path inside it: under the project
 * when relative, as given when absolute (dbt's os.path.join). Kept apart from load-project.ts so that the quick
 * start's small modules can take it without loading the project loader.
 */
export function targetDirOf(loaded: Pick<LoadedProject, 'projectDir' | 'root'>, ...inside: string[]): string {
  return pathUnder(loaded.projectDir, loaded.root.targetPath, ...inside);
}
