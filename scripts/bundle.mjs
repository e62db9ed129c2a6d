#!/usr/bin/env node
// The CLI as a bundle: after `tsc -p tsconfig.build.json` has written dist/,
// `node scripts/bundle.mjs [package-root]` bundles dist/'s CLI and its worker
// entry points into dist/bundle/ with esbuild, so a command loads a few dozen
// modules instead of a few hundred (Node's ESM loader pays per module).
// bin/tsdbt.js loads dist/bundle/main.js when it is at least as new as
// dist/cli/main.js, else dist/cli/main.js: a later tsc-only build is never
// shadowed by an older bundle.
//
// Layout rules the sources rely on:
// - every output file sits directly in dist/bundle/, one folder below dist/
//   as dist/<folder>/x.js is, so util/package-root.ts's `../../` is the
//   package root from both;
// - each worker entry point is named by its stem (dist/bundle/render-worker.js):
//   siblingModule(import.meta.url, stem) and workerBoot() look for it next to
//   the module that asks, which in the bundle is a chunk in dist/bundle/;
// - packages stay imports resolved in node_modules at run time, except the few
//   in BUNDLED_PACKAGES; so snowflake-sdk still loads only when a Snowflake
//   connection opens.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Dependencies bundled in: pure JavaScript on the path of most commands, whose
 * many small files cost more to load than their code (yaml is 70 CommonJS
 * files; for util/yaml-lib.ts, which loads it only when asked, it is also
 * bundled alone as yaml-lib.cjs). Every other package stays external: loaded
 * lazily (snowflake-sdk, ajv, semver, undici, tar) or by require() from a
 * file of its own (@duckdb/node-api, bundled alone as duckdb-lib.cjs with its
 * native binding left external).
 */
export const BUNDLED_PACKAGES = new Set(['yaml', '@dagrejs/graphlib']);

/** Bare imports stay imports unless the package is in BUNDLED_PACKAGES (`#x` are a package's own imports: resolved). */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./#]/ }, (args) => {
      if (args.path.startsWith('node:')) return { external: true };
      const pkg = args.path.split('/').slice(0, args.path.startsWith('@') ? 2 : 1).join('/');
      return BUNDLED_PACKAGES.has(pkg) ? undefined : { external: true };
    });
  },
};

/**
 * Node built-ins that bundled CommonJS (yaml) require(): ESM output has no
 * `require`, so each becomes a module re-exporting the built-in.
 */
const requiredBuiltins = {
  name: 'required-builtins',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_]+$/ }, (args) => (args.kind === 'require-call' && isBuiltin(args.path) ? { path: args.path.replace(/^node:/, ''), namespace: 'required-builtin' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'required-builtin' }, (args) => ({ contents: `export * from 'node:${args.path}';`, loader: 'js' }));
  },
};

/** Every .js file tsc wrote under dist (the bundle folder left out). */
function tscOutput(dist) {
  const bundleDir = join(dist, 'bundle');
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (p !== bundleDir) walk(p);
      } else if (e.name.endsWith('.js')) files.push(p);
    }
  };
  walk(dist);
  return files;
}

/**
 * The modules a worker imports by URL: each `siblingModule(import.meta.url, 'stem')`
 * names <same folder>/stem.js, and workerBoot() defaults to adapters/base/sync-bridge-worker.js.
 */
export function workerEntries(dist, files) {
  const entries = new Set([join(dist, 'adapters/base/sync-bridge-worker.js')]);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    if (!text.includes('siblingModule(')) continue;
    for (const m of text.matchAll(/siblingModule\(import\.meta\.url, '([\w-]+)'\)/g)) entries.add(join(dirname(f), `${m[1]}.js`));
  }
  return [...entries].sort();
}

/**
 * Bundles root/dist's CLI into root/dist/bundle. Without esbuild installed (a
 * production install) it only removes an old bundle and says so: the CLI then
 * runs from tsc's output.
 */
export async function bundle(root) {
  const dist = join(root, 'dist');
  const out = join(dist, 'bundle');
  const main = join(dist, 'cli/main.js');
  if (!statSync(main, { throwIfNoEntry: false })) throw new Error(`scripts/bundle.mjs: ${relative(process.cwd(), main)} is missing; run \`tsc -p tsconfig.build.json\` first`);
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch (e) {
    rmSync(out, { recursive: true, force: true });
    process.stderr.write(`scripts/bundle.mjs: esbuild is not installed (${e.code ?? e.message}); the CLI runs unbundled from dist/cli\n`);
    return false;
  }
  // bin/tsdbt.js starts the pre-stat worker itself, before loading the CLI (src/util/pre-stat.ts).
  // bin/tsdbt.js also loads cli/code-cache.ts itself, to run cli.cjs (below) through V8's code cache.
  const entryPoints = [main, join(dist, 'cli/process-streams.js'), join(dist, 'util/prestat-worker.js'), join(dist, 'cli/code-cache.js'), ...workerEntries(dist, tscOutput(dist))];
  const byStem = new Map();
  for (const e of entryPoints) {
    if (!statSync(e, { throwIfNoEntry: false })) throw new Error(`scripts/bundle.mjs: entry point ${relative(root, e)} is missing`);
    const stem = basename(e);
    if (byStem.has(stem)) throw new Error(`scripts/bundle.mjs: two entry points named ${stem}: ${relative(root, byStem.get(stem))} and ${relative(root, e)}; rename one (the bundle keeps entry points by file name)`);
    byStem.set(stem, e);
  }
  const result = await esbuild.build({
    entryPoints,
    write: false,
    outdir: out,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [requiredBuiltins, externalPackages],
    // Python's repr() of a function and type() of an object read JavaScript names; bundling renames colliding ones.
    keepNames: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  // util/yaml-lib.ts's `yaml`: loaded with require() only when a command needs it, so one CommonJS file of its own.
  const yamlLib = await packageAlone(esbuild, root, out, 'yaml', 'yaml-lib.cjs');
  // adapters/duckdb/duckdb-driver.ts's @duckdb/node-api: pure JavaScript over its native binding, ~190 CommonJS
  // files that cost each process opening a database ~0.1 s to find and load; one file of its own, the native
  // binding (@duckdb/node-bindings) still resolved in node_modules at run time.
  const duckdbLib = await packageAlone(esbuild, root, out, '@duckdb/node-api', 'duckdb-lib.cjs', ['@duckdb/node-bindings']);
  const cli = withImportsThroughLoader(await cliAlone(esbuild, dist, out), await import(pathToFileURL(join(dist, 'cli/code-cache.js')).href));
  warnUnlessAscii(cli.outputFiles[0]);
  writeBundle(out, [...yamlLib.outputFiles, ...duckdbLib.outputFiles, ...result.outputFiles, ...cli.outputFiles], new Set([...byStem.keys(), CLI_CJS]));
  return true;
}

/**
 * cli.cjs's dynamic imports of packages (chalk, snowflake-sdk, undici) made
 * through `__tsdbtImport`, which src/cli/code-cache.ts passes in: Node 20
 * lets a vm.Script import() only through an experimental option that
 * prints a warning, and chalk cannot be require()d. The text is written
 * inside the function code-cache.ts runs it in (`wrappedBundle`), so it is
 * compiled as read.
 */
function withImportsThroughLoader(result, { wrappedBundle }) {
  return {
    outputFiles: result.outputFiles.map((f) => {
      const text = f.text.replace(/(?<![\w$.])import\((["'][^"'\n]+["'])\)/g, '__tsdbtImport($1)');
      return { path: f.path, contents: Buffer.from(wrappedBundle(text)) };
    }),
  };
}

/** The CLI as one CommonJS file, which bin/tsdbt.js runs through V8's code cache (src/cli/code-cache.ts). */
export const CLI_CJS = 'cli.cjs';

/**
 * dist/bundle/cli.cjs: main.js's and process-streams.js's exports in one
 * CommonJS file (Node 20 keeps V8's code cache only for scripts, not ES
 * modules). Its code runs from dist/bundle/ as the chunks do: import.meta.url
 * is the file's own URL (siblingModule finds the worker entry points beside
 * it, `../../` is the package root). Strict mode, as the ES modules were.
 */
function cliAlone(esbuild, dist, out) {
  return esbuild.build({
    stdin: {
      contents: `export { runCli, offerPrestat, offerEarlyConnectionWorker, offerEarlyYamlWorker, offerCodeCacheNote, exitsAtOnce } from './cli/main.js';\nexport { processStreams } from './cli/process-streams.js';\n`,
      resolveDir: dist,
      sourcefile: CLI_CJS,
      loader: 'js',
    },
    write: false,
    outfile: join(out, CLI_CJS),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    plugins: [externalPackages],
    define: { 'import.meta.url': '__tsdbtModuleUrl' },
    banner: { js: '"use strict";\nvar __tsdbtModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    keepNames: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

/**
 * cli.cjs is read as latin1 when it is ASCII (src/cli/code-cache.ts
 * bundleText), 15-35 ms sooner than UTF-8. esbuild escapes other characters
 * in strings but keeps them in comments, regular expressions and raw
 * templates: those lines are named here, to be written in ASCII.
 */
function warnUnlessAscii(file) {
  const lines = file.contents.toString('utf8').split('\n');
  const found = lines.flatMap((line, i) => (/[^\x00-\x7f]/.test(line) ? [`  ${i + 1}: ${line.trim().slice(0, 100)}`] : []));
  if (found.length > 0) process.stderr.write(`scripts/bundle.mjs: ${CLI_CJS} is not ASCII, so it loads as UTF-8 (slower); write these in ASCII in the sources:\n${found.join('\n')}\n`);
}

/** A package bundled alone as one CommonJS file `name` (for require() at run time), `external` left to node_modules. */
function packageAlone(esbuild, root, out, pkg, name, external = []) {
  return esbuild.build({
    stdin: { contents: `module.exports = require('${pkg}');`, resolveDir: root, sourcefile: name, loader: 'js' },
    write: false,
    outfile: join(out, name),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

/**
 * Puts the new bundle in place while other processes may be running the old
 * one (tests spawn the CLI while another test rebuilds): each file is renamed
 * into place whole, chunks before the entry points that import them, and the
 * old bundle's leftover files go last. Chunk names are content hashes, so a
 * rebuild of the same sources replaces every file with an identical one.
 */
function writeBundle(out, files, entryNames) {
  mkdirSync(out, { recursive: true });
  const ordered = [...files].sort((a, b) => Number(entryNames.has(basename(a.path))) - Number(entryNames.has(basename(b.path))));
  for (const f of ordered) {
    const tmp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(tmp, f.contents);
    renameSync(tmp, f.path);
  }
  const written = new Set(files.map((f) => basename(f.path)));
  for (const name of readdirSync(out)) if (!written.has(name)) rmSync(join(out, name), { force: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundle(resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..')));
}
