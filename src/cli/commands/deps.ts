import { resolve } from 'node:path';
import { DBT_VERSION } from '../../context/base-context.js';
import { installDeps } from '../../deps/index.js';
import type { Command } from '../command-context.js';

/** `tsdbt deps`: install packages.yml / dependencies.yml into dbt_packages/ and write package-lock.yml. */
export const depsCommand: Command = async (ctx) => {
  const f = ctx.argv.flags;
  const installed = await installDeps({
    projectDir: resolve((f.projectDir as string | undefined) ?? ctx.cwd),
    lockOnly: Boolean(f.lock),
    addPackage: f.addPackage as string | undefined,
    dbtVersion: DBT_VERSION,
    hubUrl: ctx.env.DBT_PACKAGE_HUB_URL,
    log: (line) => ctx.out.info(line),
  });
  // Each installed package is reported once, by installDeps' log (`Installed x from <source>`), as dbt does.
  if (installed.length === 0) ctx.out.info('Warning: No packages were found in packages.yml');
  return 0;
};
