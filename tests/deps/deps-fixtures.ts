/**
 * Fixtures for deps tests: projects written to temp dirs, git repositories
 * made with the system git, gzipped tarballs built with `tar`, and a package
 * hub served over HTTP on 127.0.0.1 in the same JSON shape as hub.getdbt.com.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';

const tempDirs: string[] = [];

export function tempDir(prefix = 'tsdbt-deps-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function cleanupTempDirs(): void {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function writeFiles(dir: string, files: Record<string, string>): string {
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(dir, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

/** A root project named `root_project` with the given extra files (packages.yml...). */
export function makeProject(files: Record<string, string>): string {
  return writeFiles(tempDir(), { 'dbt_project.yml': 'name: root_project\nversion: "1.0"\n', ...files });
}

/** Files of a tiny dbt package called `name`, optionally with its own packages.yml. */
export function packageFiles(name: string, packagesYml?: string, marker = name): Record<string, string> {
  const files: Record<string, string> = {
    'dbt_project.yml': `name: ${name}\nversion: "1.0.0"\nconfig-version: 2\n`,
    'macros/hello.sql': `{% macro hello() %}'${marker}'{% endmacro %}\n`,
  };
  if (packagesYml !== undefined) files['packages.yml'] = packagesYml;
  return files;
}

export function read(file: string): string {
  return readFileSync(file, 'utf8');
}

// ---------------------------------------------------------------- git

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: os.tmpdir(),
    },
  }).trim();
}

/** A bare repository plus a work tree to commit into; `commit` returns the new SHA. */
export function makeGitRepo(): { url: string; work: string; commit(files: Record<string, string>, message: string): string } {
  const root = tempDir('tsdbt-deps-git-');
  const url = path.join(root, 'remote.git');
  const work = path.join(root, 'work');
  git(root, 'init', '-q', '--bare', '-b', 'main', url);
  git(root, 'init', '-q', '-b', 'main', work);
  git(work, 'remote', 'add', 'origin', url);
  return {
    url,
    work,
    commit(files, message) {
      writeFiles(work, files);
      git(work, 'add', '-A');
      git(work, 'commit', '-q', '-m', message);
      return git(work, 'rev-parse', 'HEAD');
    },
  };
}

// ---------------------------------------------------------------- tarballs and hub

/** A .tar.gz whose entries live under `topDir/` (as GitHub archives do), or at the root when topDir is ''. */
export async function buildTarball(files: Record<string, string>, topDir: string): Promise<Buffer> {
  const dir = tempDir('tsdbt-deps-tar-');
  const src = path.join(dir, 'src');
  writeFiles(topDir ? path.join(src, topDir) : src, files);
  const out = path.join(dir, 'out.tar.gz');
  await tar.c({ gzip: true, file: out, cwd: src, portable: true }, topDir ? [topDir] : Object.keys(files));
  return readFileSync(out);
}

export interface TestServer {
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  /** Serve `body` at `urlPath` (JSON-encoded unless a Buffer/string). */
  route(urlPath: string, body: unknown, status?: number): void;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, { body: Buffer; status: number; type: string }>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const r = routes.get(req.url ?? '');
    if (!r) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not found."}');
      return;
    }
    res.writeHead(r.status, { 'content-type': r.type, 'content-length': r.body.length }).end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    route(urlPath, body, status = 200) {
      const isRaw = Buffer.isBuffer(body) || typeof body === 'string';
      routes.set(urlPath, {
        body: Buffer.isBuffer(body) ? body : Buffer.from(isRaw ? (body as string) : JSON.stringify(body)),
        status,
        type: isRaw ? 'application/octet-stream' : 'application/json',
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Publish `owner/name` on the test hub: one tarball per version (a package
 * named `projectName`, with `deps[version]` as its packages.yml) and the
 * `api/v1/owner/name.json` document in the hub's shape.
 */
export async function publishHubPackage(
  hub: TestServer,
  pkg: string,
  projectName: string,
  versions: string[],
  deps: Record<string, string> = {},
  requireDbtVersion: Record<string, string | string[]> = {},
): Promise<void> {
  const [owner, name] = pkg.split('/') as [string, string];
  const entries: Record<string, unknown> = {};
  for (const version of versions) {
    const tarPath = `/tarballs/${owner}/${name}/${version}.tar.gz`;
    hub.route(tarPath, await buildTarball(packageFiles(projectName, deps[version], `${projectName}@${version}`), `${name}-${version}`));
    entries[version] = {
      id: `${pkg}/${version}`,
      name: projectName,
      version,
      published_at: '2024-01-01T00:00:00Z',
      packages: [],
      ...(requireDbtVersion[version] ? { require_dbt_version: requireDbtVersion[version] } : {}),
      works_with: [],
      _source: { type: 'github', url: `https://github.com/${pkg}/tree/${version}/`, readme: '' },
      downloads: { tarball: `${hub.url}${tarPath.slice(1)}`, format: 'tgz', sha1: '' },
    };
  }
  hub.route(`/api/v1/${pkg}.json`, {
    name: projectName,
    namespace: owner,
    description: `${projectName} test package`,
    latest: versions[versions.length - 1],
    assets: {},
    versions: entries,
  });
}
