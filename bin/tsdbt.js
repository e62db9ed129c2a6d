#!/usr/bin/env node
// Entry point. `--version` is answered here, before any module loads, so it
// stays fast; everything else runs the compiled CLI in dist/: the bundle in
// dist/bundle/ (scripts/bundle.mjs, part of `npm run build`) when it was made
// after the last `tsc` run, else tsc's modules in dist/cli/ as they are.
import { readFileSync, statSync } from 'node:fs';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`tsdbt ${pkg.version} (dbt-core 1.10.15 compatible)\n`);
  process.exit(0);
}
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';

/** dist/bundle/ when it is at least as new as tsc's dist/cli/main.js (a later tsc-only build makes it stale); else dist/cli/. */
function cliDir() {
  if (process.env.TSDBT_BUNDLE === '0') return '../dist/cli/';
  const mtime = (rel) => statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
  const bundled = mtime('../dist/bundle/main.js');
  if (bundled === undefined) return '../dist/cli/';
  const compiled = mtime('../dist/cli/main.js');
  return compiled === undefined || bundled >= compiled ? '../dist/bundle/' : '../dist/cli/';
}
const dir = cliDir();
const { runCli } = await import(`${dir}main.js`);
const { processStreams } = await import(`${dir}process-streams.js`);
// A closed pipe (`tsdbt ls | head -1`) stops quietly; a full disk or /dev/full on stdout is reported once at the end.
const io = processStreams(process.stdout, process.stderr, () => process.exit(process.exitCode ?? 0));
const code = await runCli(argv, io.streams);
// Let a write error still in flight (a pipe) arrive before the exit code is decided.
await new Promise((resolve) => setImmediate(resolve));
process.exitCode = io.finish(code);
