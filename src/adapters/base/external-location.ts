import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TsdbtError } from '../../errors/tsdbt-error.js';

/**
 * Before a model is written to files (the `external` materialization): can
 * `location` be written? A local path needs an existing, writable directory
 * (the file's, or for a partitioned write the target directory's parent)
 * and, when the file exists, a writable file. URLs (s3://, https://, md:)
 * are left to the database. Checking first means a bad location fails
 * before anything is touched: the previous view and files stay.
 */
export function checkExternalLocation(location: string, partitioned: boolean, file: string | undefined): void {
  if (/^[a-z][a-z0-9+.-]*:/i.test(location) && !/^[a-z]:[\\/]/i.test(location)) return;
  const path = resolve(location);
  const dir = partitioned ? (existsSync(path) ? path : dirname(path)) : dirname(path);
  const fail = (reason: string, hint: string): never => {
    throw new TsdbtError('EXTERNAL_LOCATION', `The external location '${location}' cannot be written: ${reason}`, { file, hint });
  };
  if (!existsSync(dir)) fail(`the directory ${dir} does not exist`, `Create ${dir}, or point the model's 'location' config (or the profile's external_root) at an existing directory.`);
  if (!statSync(dir).isDirectory()) fail(`${dir} is not a directory`, "Point the model's 'location' config (or the profile's external_root) at a directory.");
  const writable = (p: string) => {
    try {
      accessSync(p, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (!writable(dir)) fail(`the directory ${dir} is not writable`, `Make ${dir} writable, or choose another 'location' / external_root.`);
  if (!partitioned && existsSync(path)) {
    if (statSync(path).isDirectory()) fail(`${path} is a directory`, "Give the model a file 'location' (e.g. out/orders.parquet), or set partition_by to write a directory.");
    if (!writable(path)) fail(`the file ${path} is not writable`, `Make ${path} writable, or choose another 'location'.`);
  }
}
