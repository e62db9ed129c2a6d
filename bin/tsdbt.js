#!/usr/bin/env node
// Entry point. `--version` is answered here, before any module loads, so it
// stays fast; everything else runs the compiled CLI in dist/.
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`tsdbt ${pkg.version} (dbt-core 1.10.15 compatible)\n`);
  process.exit(0);
}
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
const { runCli } = await import('../dist/cli/main.js');
const { processStreams } = await import('../dist/cli/process-streams.js');
// A closed pipe (`tsdbt ls | head -1`) stops quietly; a full disk or /dev/full on stdout is reported once at the end.
const io = processStreams(process.stdout, process.stderr, () => process.exit(process.exitCode ?? 0));
const code = await runCli(argv, io.streams);
// Let a write error still in flight (a pipe) arrive before the exit code is decided.
await new Promise((resolve) => setImmediate(resolve));
process.exitCode = io.finish(code);
