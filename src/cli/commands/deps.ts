import { resolve } from 'node:path';
import { DBT_VERSION } from '../../context/base-context.js';
import { installDeps } from '../../deps/index.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { AddPackageSource } from '../../deps/index.js';
import type { Command } from '../command-context.js';

const SOURCES: readonly AddPackageSource[] = ['hub', 'git', 'local'];

/** `--source`, as dbt's choice of hub (the default), git or local. */
function packageSource(value: unknown): AddPackageSource {
  if (value === undefined) return 'hub';
  if (typeof value === 'string' && (SOURCES as readonly string[]).includes(value)) return value as AddPackageSource;
  throw new TsdbtError('USAGE', `Invalid value for '--source': ${JSON.stringify(value)} is not one of 'hub', 'git', 'local'.`, {
    hint: 'For example: tsdbt deps --add-package https://github.com/org/repo.git@v1.0.0 --source git',
  });
}

/** `tsdbt deps`: install packages.yml / dependencies.yml into dbt_packages/ and write package-lock.yml. */
export const depsCommand: Command = async (ctx) => {
  const f = ctx.argv.flags;
  await installDeps({
    projectDir: resolve((f.projectDir as string | undefined) ?? ctx.cwd),
    lockOnly: Boolean(f.lock),
    upgrade: Boolean(f.upgrade),
    addPackage: f.addPackage as string | undefined,
    addPackageSource: packageSource(f.source),
    dbtVersion: DBT_VERSION,
    hubUrl: ctx.env.DBT_PACKAGE_HUB_URL,
    log: (line) => ctx.out.info(line),
  });
  // installDeps' log reports each installed package, and the warning when none is declared, once each, as dbt does.
  return 0;
};
