import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { scrubSecrets } from './secrets.js';

/** A checked-out git package: the directory holding it and the commit it is at. */
export interface GitCheckout {
  /** The package root: the clone, or `subdirectory` inside it. */
  dir: string;
  /** Full SHA of the checked-out commit (what package-lock.yml records). */
  sha: string;
}

const COMMIT_SHA = /^[0-9a-f]{40}$/;

/** A revision that names a moving target, for which dbt warns unless warn-unpinned: false. */
export function isUnpinnedRevision(revision: string | undefined): boolean {
  return revision === undefined || revision === 'HEAD' || revision === 'main' || revision === 'master';
}

/**
 * Clone `url` at `revision` (branch, tag, or full 40-character commit SHA;
 * the default branch when undefined) into `dest` with the system git, so
 * local paths, file:// and https/ssh URLs with the user's credentials all
 * work. Branches and tags are cloned shallowly; a SHA is fetched shallowly
 * and, if the server refuses that, by a full fetch.
 */
export async function gitCheckout(url: string, revision: string | undefined, subdirectory: string | undefined, dest: string): Promise<GitCheckout> {
  const spec = revision ?? 'HEAD';
  const fail = (stderr: string): never => {
    // Shallow clones of plain paths make git add a warning unrelated to the failure.
    const detail = stderr
      .split('\n')
      .filter((l) => !l.startsWith('warning: --depth is ignored in local clones'))
      .join('\n')
      .trim();
    throw new TsdbtError('PACKAGE_ERROR', scrubSecrets(`Error checking out spec='${spec}' for repo ${url}\n${detail}`), {
      hint: 'Check that the git URL is reachable with your credentials and that revision names an existing branch, tag or full 40-character commit SHA.',
    });
  };

  // A URL starting with '-' would be read by git as an option (`--upload-pack=...` runs a command).
  if (url.startsWith('-')) {
    throw new TsdbtError('PACKAGE_ERROR', scrubSecrets(`Refusing git URL ${JSON.stringify(url)}: it starts with '-'`), {
      hint: 'Write the repository as an https://, ssh:// or git@ URL, or a path (./repo for a local one).',
    });
  }
  if (revision !== undefined && COMMIT_SHA.test(revision)) {
    await git(['init', '-q', '--', dest]).catch(fail);
    await git(['remote', 'add', '--', 'origin', url], dest).catch(fail);
    try {
      await git(['fetch', '-q', '--depth', '1', 'origin', revision], dest);
    } catch {
      // Servers that refuse to serve an arbitrary commit shallowly still serve full history.
      await git(['fetch', '-q', 'origin'], dest).catch(fail);
    }
    await git(['-c', 'advice.detachedHead=false', 'checkout', '-q', revision], dest).catch(fail);
  } else {
    const args = ['clone', '-q', '--depth', '1'];
    if (revision !== undefined && revision !== 'HEAD') args.push('--branch', revision);
    await git([...args, '--', url, dest]).catch(fail);
  }

  const sha = (await git(['rev-parse', 'HEAD'], dest).catch(fail)).trim();
  const dir = subdirectory ? path.join(dest, subdirectory) : dest;
  if (subdirectory && (!existsSync(dir) || !statSync(dir).isDirectory())) {
    throw new TsdbtError('PACKAGE_ERROR', scrubSecrets(`Subdirectory '${subdirectory}' does not exist in repo ${url} at revision ${spec} (${sha})`), {
      hint: 'Fix subdirectory: to the path of the package inside the repository, relative to its root.',
    });
  }
  return { dir, sha };
}

/** Run git, resolving stdout; rejects with git's stderr (never prompting for credentials). */
function git(args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd,
        env: { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
          reject(missing ? 'git is not installed or not on PATH; install git to use git packages' : stderr || error.message);
        } else resolve(stdout);
      },
    );
  });
}
