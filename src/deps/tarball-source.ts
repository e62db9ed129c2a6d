import { createWriteStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { fileWriteError } from '../util/atomic-write.js';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import * as tar from 'tar';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { httpGet } from './http-get.js';
import { scrubSecrets } from './secrets.js';

/**
 * Download the .tar.gz at `url` into `workDir` and extract it there.
 * Returns the package root: the archive root if it holds dbt_project.yml,
 * else its single top-level directory (GitHub/codeload archives wrap the
 * repository in `<repo>-<ref>/`). `what` names the package in errors.
 */
export async function downloadAndExtract(url: string, workDir: string, what: string): Promise<string> {
  mkdirSync(workDir, { recursive: true });
  const archive = path.join(workDir, 'package.tar.gz');
  const extractDir = path.join(workDir, 'contents');
  mkdirSync(extractDir, { recursive: true });

  const res = await httpGet(url, what);
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new TsdbtError('PACKAGE_ERROR', `Downloading ${what} from ${scrubSecrets(url)} failed: HTTP ${res.status}`, {
      hint: 'Check that the tarball URL exists and is publicly reachable.',
    });
  }
  try {
    await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(archive));
  } catch (e) {
    if (isFileSystemError(e)) throw fileWriteError(archive, `the download of ${what}`, e);
    throw e;
  }

  try {
    // tar refuses absolute paths and `..` entries by default, so an archive cannot write outside extractDir.
    await tar.x({ file: archive, cwd: extractDir, strict: true });
  } catch (e) {
    if (isFileSystemError(e)) throw fileWriteError(extractDir, `the contents of ${what}`, e);
    throw new TsdbtError(
      'PACKAGE_ERROR',
      `${what} from ${scrubSecrets(url)} is not a valid .tar.gz archive: ${(e as Error).message}`,
      { hint: 'Point the entry at a gzipped tar archive of a dbt project.', cause: e },
    );
  }
  return packageRoot(extractDir);
}

/** A disk that is full or cannot be written, as opposed to a bad download or archive. */
function isFileSystemError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}

function packageRoot(extractDir: string): string {
  if (existsSync(path.join(extractDir, 'dbt_project.yml'))) return extractDir;
  const entries = readdirSync(extractDir).filter((e) => e !== 'pax_global_header');
  if (entries.length === 1 && statSync(path.join(extractDir, entries[0]!)).isDirectory()) {
    return path.join(extractDir, entries[0]!);
  }
  return extractDir;
}
