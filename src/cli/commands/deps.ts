import { resolve } from 'node:path';
import { DBT_VERSION } from '../../context/base-context.js';
import { installDeps } from '../../deps/index.js';
import type { Command } from '../command-context.js';

/** `tsdbt deps`: install packages.yml / dependencies.yml into dbt_packages/ and write package-lock.yml. */
export const depsCommand: Command = async (ctx) => {
  const f = ctx.argv.flags;
  await installDeps({
    projectDir: resolve((f.projectDir as string | undefined) ?? ctx.cwd),
    lockOnly: Boolean(f.lock),
    addPackage: f.addPackage as string | undefined,
    dbtVersion: DBT_VERSION,
    hubUrl: ctx.env.DBT_PACKAGE_HUB_URL,
    log: (line) => ctx.out.info(line),
  });
  // installDeps' log reports each installed package, and the warning when none is declared, once each, as dbt does.
  return 0;
};
