import { existsSync, rmSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { loadProjectConfig } from '../../project/project-config.js';
import type { Command } from '../command-context.js';

/** `tsdbt clean`: delete the clean-targets folders (never anything outside the project). */
export const cleanCommand: Command = async (ctx) => {
  const projectDir = resolve((ctx.argv.flags.projectDir as string | undefined) ?? ctx.cwd);
  const config = loadProjectConfig(projectDir, (t) => t);
  for (const target of config.cleanTargets) {
    const path = isAbsolute(target) ? target : join(projectDir, target);
    const rel = relative(projectDir, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new TsdbtError('PROJECT_INVALID', `clean-targets entry '${target}' is not inside the project`, {
        file: 'dbt_project.yml',
        line: config.keyLines['clean-targets'],
        hint: 'List only folders inside the project, e.g. ["target", "dbt_packages"].',
      });
    }
    if (existsSync(path)) {
      rmSync(path, { recursive: true, force: true });
      ctx.out.info(`Cleaned ${rel}/`);
    }
  }
  ctx.out.info('Finished cleaning all paths.');
  return 0;
};
