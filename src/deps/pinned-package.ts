/**
 * A package with its exact version decided: what package-lock.yml records
 * and what gets installed. `requiredBy`/`file`/`line` point at the entry that
 * asked for it, for errors.
 */
export type PinnedPackage = PinnedLocal | PinnedGit | PinnedTarball | PinnedHub;

interface PinnedBase {
  requiredBy: string;
  file?: string;
  line?: number;
}

export interface PinnedLocal extends PinnedBase {
  kind: 'local';
  local: string;
}

export interface PinnedGit extends PinnedBase {
  kind: 'git';
  git: string;
  gitUnrendered: string;
  /** As requested (branch, tag, SHA or HEAD); the checkout's SHA is on the fetched package. */
  revision: string;
  warnUnpinned: boolean;
  subdirectory?: string;
}

export interface PinnedTarball extends PinnedBase {
  kind: 'tarball';
  tarball: string;
  tarballUnrendered: string;
  name: string;
}

export interface PinnedHub extends PinnedBase {
  kind: 'hub';
  package: string;
  version: string;
  /** Newest installable version on the hub, to tell the user an update exists. */
  latest: string;
}

/** Stable identity of a pinned package, to fetch each one only once. */
export function pinnedId(p: PinnedPackage): string {
  switch (p.kind) {
    case 'local':
      return `local:${p.local}`;
    case 'git':
      return `git:${p.git}@${p.revision}:${p.subdirectory ?? ''}`;
    case 'tarball':
      return `tarball:${p.tarball}`;
    case 'hub':
      return `hub:${p.package}@${p.version}`;
  }
}
