import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadProject } from '../../api/load-project.js';
import { profileSearchDirs } from '../../project/profile-search.js';
import { DBT_VERSION } from '../../context/base-context.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { globalOptions, type Command } from '../command-context.js';
import { TSDBT_VERSION } from '../../util/tsdbt-version.js';

/** `tsdbt debug`: show what would be used (project, profile, target) and check the connection. */
export const debugCommand: Command = async (ctx) => {
  if (ctx.argv.flags.configDir === true) return showConfigDir(ctx);
  ctx.out.info(`tsdbt version: ${TSDBT_VERSION} (dbt ${DBT_VERSION} compatible)`);
  ctx.out.info(`node version: ${process.version}`);
  let loaded;
  try {
    loaded = loadProject(globalOptions(ctx), { requireInstalled: false });
  } catch (e) {
    if (e instanceof TsdbtError) {
      ctx.out.error(`Configuration: ${e.format()}`);
      return 1;
    }
    throw e;
  }
  ctx.out.info(`Using dbt_project.yml file at ${loaded.projectDir}/dbt_project.yml`);
  ctx.out.info(`Using profiles.yml file at ${loaded.profile.file}`);
  // --connection: dbt's "test the connection only", its configuration report left out.
  if (ctx.argv.flags.connection === true) ctx.out.info('Skipping steps before connection verification');
  else {
    ctx.out.info('Configuration:');
    ctx.out.info(`  profiles.yml file [${ctx.out.green('OK found and valid')}]`);
    ctx.out.info(`  dbt_project.yml file [${ctx.out.green('OK found and valid')}]`);
  }
  ctx.out.info('Connection:');
  for (const [k, v] of Object.entries(loaded.target)) {
    if (['name', 'target_name', 'profile_name'].includes(k)) continue;
    ctx.out.info(`  ${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  }
  const { checkConnection } = await import('../../api/connection-check.js');
  const problem = await checkConnection(loaded);
  if (problem) {
    ctx.out.error(`  Connection test: [ERROR]\n  ${problem}`);
    return 1;
  }
  ctx.out.info(`  Connection test: [${ctx.out.green('OK connection ok')}]`);
  ctx.out.info('All checks passed!');
  return 0;
};

/**
 * `debug --config-dir`, as dbt's: only where profiles.yml is looked for (the
 * first folder of the search that has one, else the last, ~/.dbt) and the
 * command that opens it; nothing is loaded or checked.
 */
function showConfigDir(ctx: Parameters<Command>[0]): number {
  const opts = globalOptions(ctx);
  const dirs = profileSearchDirs(resolve(ctx.cwd, opts.projectDir ?? '.'), opts.profilesDir === undefined ? undefined : resolve(ctx.cwd, opts.profilesDir), ctx.env);
  const dir = dirs.find((d) => existsSync(join(d, 'profiles.yml'))) ?? dirs[dirs.length - 1]!;
  const open = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'start' : 'xdg-open';
  ctx.out.info(`To view your profiles.yml file, run:\n\n${open} ${dir}`);
  return 0;
}
