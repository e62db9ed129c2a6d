import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { PackagesRenderer } from './env-var-renderer.js';
import { gitCheckout, isUnpinnedRevision } from './git-source.js';
import { HubClient, tarballUrlOf } from './hub-client.js';
import type { PackageSpec } from './package-spec.js';
import { readPackagesFile } from './packages-file.js';
import { readProjectInfo } from './package-project.js';
import { pinnedId, type PinnedPackage } from './pinned-package.js';
import { downloadAndExtract } from './tarball-source.js';

/** A pinned package whose contents are on disk, ready to install. */
export interface FetchedPackage {
  pinned: PinnedPackage;
  /** Install directory name: dbt_project.yml `name:` (for tarballs, the entry's `name:` as dbt does). */
  name: string;
  /** Where the package's files are (its dbt_project.yml is at the root). */
  dir: string;
  /** Local packages are symlinked into dbt_packages rather than copied. */
  link: boolean;
  /** The commit a git package was checked out at. */
  sha?: string;
  /** The package's own packages.yml / dependencies.yml entries. */
  dependencies: PackageSpec[];
}

export interface FetcherContext {
  /** Root project directory (local paths are relative to it, as in dbt). */
  projectDir: string;
  /** Scratch directory for clones and downloads; removed by the caller. */
  downloadsDir: string;
  /** packages-install-path as written (e.g. `dbt_packages`), to name files in errors. */
  installPathLabel: string;
  hub: HubClient;
  render: PackagesRenderer;
  log: (line: string) => void;
}

/** Fetches pinned packages (clone, download, or locate) once each. */
export class PackageFetcher {
  private readonly cache = new Map<string, Promise<FetchedPackage>>();
  constructor(private readonly ctx: FetcherContext) {}

  fetch(pinned: PinnedPackage): Promise<FetchedPackage> {
    const id = pinnedId(pinned);
    let p = this.cache.get(id);
    if (!p) {
      p = this.load(pinned).catch((e: unknown) => {
        throw e instanceof TsdbtError ? e.withLocation({ file: pinned.file, line: pinned.line }) : e;
      });
      this.cache.set(id, p);
    }
    return p;
  }

  private scratch(id: string): string {
    return path.join(this.ctx.downloadsDir, createHash('md5').update(id).digest('hex'));
  }

  private async load(pinned: PinnedPackage): Promise<FetchedPackage> {
    const { ctx } = this;
    const work = this.scratch(pinnedId(pinned));
    switch (pinned.kind) {
      case 'local': {
        const dir = path.resolve(ctx.projectDir, pinned.local);
        if (!existsSync(dir) || !statSync(dir).isDirectory()) {
          throw new TsdbtError('PACKAGE_ERROR', `Local package path "${pinned.local}" does not exist (resolved to ${dir})`, {
            hint: 'Fix local: to a directory containing a dbt_project.yml, relative to the root project.',
          });
        }
        return this.finish(pinned, dir, true, readProjectInfo(dir, `Local package "${pinned.local}"`).name);
      }
      case 'git': {
        if (isUnpinnedRevision(pinned.revision) && pinned.warnUnpinned) {
          ctx.log(
            `WARNING: The git package "${pinned.gitUnrendered}" is not pinned (revision ${pinned.revision}); ` +
              'this can introduce breaking changes into your project without warning. ' +
              'Pin it with revision: <tag or commit SHA>, or set warn-unpinned: false.',
          );
        }
        const revision = pinned.revision === 'HEAD' ? undefined : pinned.revision;
        const checkout = await gitCheckout(pinned.git, revision, pinned.subdirectory, work);
        const source = `Git package ${pinned.gitUnrendered}${pinned.subdirectory ? ` (subdirectory ${pinned.subdirectory})` : ''} at ${pinned.revision}`;
        const fetched = this.finish(pinned, checkout.dir, false, readProjectInfo(checkout.dir, source).name);
        fetched.sha = checkout.sha;
        return fetched;
      }
      case 'tarball': {
        const dir = await downloadAndExtract(pinned.tarball, work, `tarball package ${pinned.name}`);
        readProjectInfo(dir, `Tarball ${pinned.tarballUnrendered}`);
        return this.finish(pinned, dir, false, pinned.name);
      }
      case 'hub': {
        const info = await ctx.hub.getPackage(pinned.package);
        const url = tarballUrlOf(info, pinned.version);
        const dir = await downloadAndExtract(url, work, `${pinned.package}@${pinned.version}`);
        return this.finish(pinned, dir, false, readProjectInfo(dir, `Hub package ${pinned.package}@${pinned.version} (${url})`).name);
      }
    }
  }

  private finish(pinned: PinnedPackage, dir: string, link: boolean, name: string): FetchedPackage {
    const deps = readPackagesFile(dir, {
      render: this.ctx.render,
      labelPrefix: `${this.ctx.installPathLabel}/${name}`,
      requiredBy: name,
    });
    return { pinned, name, dir, link, dependencies: deps.specs };
  }
}
