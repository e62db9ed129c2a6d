// The scale bench (issue 18): tsdbt's cold parse, warm parse, one-file-changed
// parse, `ls` and `compile` of generated projects of 2,000 and 10,000 models,
// wall time and peak RSS of the whole CLI process (/usr/bin/time), best of N,
// with the load average when each figure was taken (the box is shared: read
// the load next to the figure), and ratios against the issue's targets.
// Dataform's CLI compile of the same DAG is added when it is installed.
//
// Run: npx tsc -p tsconfig.build.json && node bench/scale.bench.mjs
//   [--models 2000,10000] [--shapes core,realistic] [--runs 3]
//   [--cold-args "--no-partial-parse"]   added to the cold parse, ls and compile
//   [--dataform /tmp/dataform]           a folder with @dataform/cli and @dataform/core 3.x installed
//   [--only parse,ls,compile,compile-warm,warm,changed,macro,yaml,dataform] [--keep] [--json results.json]
//   (macro: a macro file's body changed; yaml: a properties file changed, both after a warm parse)
//   [--tsdbt <checkout>]                 another built checkout's CLI (e.g. main, for a before/after)
//
// Shapes: `core` is dbt-core's parse benchmark (bench/generate-project.mjs: refs
// to an ancestor chain, three tests a model: 4 nodes a model); `realistic` has
// staging models on sources, then intermediate and marts with macros, config()
// and Jinja (generateRealisticProject).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateProject, generateRealisticProject } from './generate-project.mjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : args[i + 1];
};
const models = flag('--models', '2000,10000').split(',').map(Number);
const shapes = flag('--shapes', 'core,realistic').split(',');
const runs = Number(flag('--runs', 3));
const coldArgs = flag('--cold-args', '').split(' ').filter(Boolean);
const dataformDir = flag('--dataform', existsSync('/tmp/dataform/node_modules/@dataform/cli') ? '/tmp/dataform' : undefined);
const only = flag('--only', 'parse,warm,changed,macro,yaml,ls,compile,compile-warm,dataform').split(',');
const keep = args.includes('--keep');
const jsonOut = flag('--json', undefined);
const here = resolve(new URL('..', import.meta.url).pathname);
const bin = join(resolve(flag('--tsdbt', here)), 'bin/tsdbt.js');

/** The issue's targets (10,000-model figures unless the size is named). */
const TARGETS = {
  'parse cold': { 10000: { s: 2.5, mb: 400 } },
  'parse warm': { 10000: { s: 0.3 } },
  'parse, 1 changed': { 10000: { s: 0.5 } },
  ls: { 10000: { s: 1 } },
  compile: { 2000: { s: 1 }, 10000: { s: 4, mb: 600 } },
  'compile warm': { 2000: { s: 1 }, 10000: { s: 4, mb: 600 } },
};

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** One timed process: wall seconds, CPU seconds (user + system) and peak RSS (MB) from /usr/bin/time. */
function measure(cmd, cmdArgs, cwd, env = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M %U %S', cmd, ...cmdArgs], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 1 << 28 });
  const line = r.stderr.split('\n').reverse().find((l) => l.startsWith('TIME '));
  if (r.status !== 0 || !line) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed in ${cwd} (${r.status}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
  const [, s, kb, user, sys] = line.split(' ');
  return { s: Number(s), mb: Number(kb) / 1024, cpu: Number(user) + Number(sys), stdout: r.stdout };
}

/** Best of `runs` (time, CPU and RSS each at their minimum), with the load average before each run. */
function best(before, cmd, cmdArgs, cwd, env) {
  const samples = [];
  const loads = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    loads.push(load().split(' ')[0]);
    samples.push(measure(cmd, cmdArgs, cwd, env));
  }
  return { s: Math.min(...samples.map((x) => x.s)), cpu: Math.min(...samples.map((x) => x.cpu)), mb: Math.min(...samples.map((x) => x.mb)), load: loads.join('/'), stdout: samples[0].stdout };
}

const tsdbt = (dir, command, extra = []) => [bin, command, '--project-dir', dir, '--profiles-dir', dir, ...extra];
// What a run leaves (target/, its compiled files) is set aside, not deleted, until the bench ends. On these
// machines' ext4 (no journal) a file created within about a minute of many deletions makes the kernel look
// past every inode freed since (fs/ext4/ialloc.c, recently_deleted): 8,000 files created just after 8,000
// were removed took 1.3-3.7 s of system time against 0.15-0.2 s otherwise, and a compile after `rm -rf
// target` measured that more than the compile. Renamed aside, nothing is freed while the bench runs.
const aside = mkdtempSync(join(tmpdir(), 'tsdbt-scale-aside-'));
let asideCount = 0;
const setAside = (path) => existsSync(path) && renameSync(path, join(aside, String(asideCount++)));
const clean = (dir) => () => setAside(join(dir, 'target'));
/** Projects measured, removed with what was set aside once every figure is taken. */
const done = [];

const rows = [];
const record = (shape, n, figure, m) => {
  const target = TARGETS[figure]?.[n];
  const ratio = (v, t) => (t === undefined ? '' : `${(v / t).toFixed(2)}x`);
  rows.push({ shape, models: n, figure, s: m.s, cpu: m.cpu, mb: m.mb, load: m.load, vsTarget: target ? [ratio(m.s, target.s), ratio(m.mb, target.mb)].filter(Boolean).join(', ') : '', target: target ? `< ${target.s} s${target.mb ? `, < ${target.mb} MB` : ''}` : '' });
  const last = rows[rows.length - 1];
  console.log(`${shape.padEnd(9)} ${String(n).padStart(6)} ${figure.padEnd(18)} ${m.s.toFixed(2).padStart(7)} s ${m.cpu.toFixed(2).padStart(7)} s CPU ${m.mb.toFixed(0).padStart(6)} MB  load ${m.load}  ${last.target ? `target ${last.target}: ${last.vsTarget}` : ''}`);
};

for (const shape of shapes) {
  for (const n of models) {
    const dir = mkdtempSync(join(tmpdir(), `tsdbt-scale-${shape}-${n}-`));
    (shape === 'core' ? generateProject : generateRealisticProject)(dir, n);
    const nodes = () => JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')).nodes;
    if (only.includes('parse')) record(shape, n, 'parse cold', best(clean(dir), process.execPath, tsdbt(dir, 'parse', coldArgs), dir));
    if (['warm', 'changed', 'macro', 'yaml'].some((f) => only.includes(f))) {
      // Warm: a parse after a parse with nothing changed; 1 changed: one model's text changed since the last parse.
      clean(dir)();
      measure(process.execPath, tsdbt(dir, 'parse'), dir);
      if (only.includes('warm')) record(shape, n, 'parse warm', best(undefined, process.execPath, tsdbt(dir, 'parse'), dir));
      if (only.includes('changed')) {
        const model = Object.values(nodes()).find((x) => x.resource_type === 'model' && x.name.endsWith(`_${Math.floor(n / 2)}`));
        const file = join(dir, model.original_file_path);
        let k = 0;
        record(shape, n, 'parse, 1 changed', best(() => writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- edit ${++k}\n`), process.execPath, tsdbt(dir, 'parse'), dir));
      }
      // A macro file's body changed (a Jinja comment inside its first macro: every node that runs one
      // of its macros is parsed again), and a properties file changed (a full parse reusing renders).
      const macroFile = only.includes('macro') && findFile(join(dir, 'macros'), '.sql');
      if (macroFile) {
        let k = 0;
        record(shape, n, 'parse, macro changed', best(() => writeFileSync(macroFile, readFileSync(macroFile, 'utf8').replace(/(\{%-?\s*macro[^%]*%\})(\{# edit \d+ #\})?/, `$1{# edit ${++k} #}`)), process.execPath, tsdbt(dir, 'parse'), dir));
      }
      const yamlFile = only.includes('yaml') && findFile(join(dir, 'models'), '.yml');
      if (yamlFile) {
        let k = 0;
        record(shape, n, 'parse, YAML changed', best(() => writeFileSync(yamlFile, `${readFileSync(yamlFile, 'utf8')}\n# edit ${++k}\n`), process.execPath, tsdbt(dir, 'parse'), dir));
      }
    }
    if (only.includes('ls')) record(shape, n, 'ls', best(undefined, process.execPath, tsdbt(dir, 'ls', coldArgs), dir));
    if (only.includes('compile')) {
      const m = best(clean(dir), process.execPath, tsdbt(dir, 'compile', coldArgs), dir);
      const count = Object.values(nodes()).filter((x) => x.compiled_code !== undefined).length;
      if (count < n) throw new Error(`compile of ${dir} compiled only ${count} nodes`);
      record(shape, n, 'compile', m);
    }
    if (only.includes('compile-warm')) {
      // Compile after a parse (as dbt users do): target/partial_parse.json is warm; the compiled files,
      // manifest and run results of the previous run are removed before each run.
      clean(dir)();
      measure(process.execPath, tsdbt(dir, 'parse'), dir);
      const m = best(() => {
        setAside(join(dir, 'target/compiled'));
        for (const f of ['manifest.json', 'run_results.json']) rmSync(join(dir, 'target', f), { force: true });
      }, process.execPath, tsdbt(dir, 'compile'), dir);
      const count = Object.values(nodes()).filter((x) => x.compiled_code !== undefined).length;
      if (count < n) throw new Error(`compile of ${dir} compiled only ${count} nodes`);
      record(shape, n, 'compile warm', m);
    }
    if (only.includes('dataform') && dataformDir) {
      const df = join(dir, 'dataform');
      generateDataformProject(df, dir);
      const cli = join(dataformDir, 'node_modules/@dataform/cli/bundle.js');
      // Dataform compiles in a child process (its CPU time may not be counted: read its wall time).
      try {
        const m = best(undefined, process.execPath, [existsSync(cli) ? cli : join(dataformDir, 'node_modules/.bin/dataform'), 'compile', df, '--json', '--timeout=30m'], df);
        const compiled = JSON.parse(m.stdout);
        const actions = (compiled.tables?.length ?? 0) + (compiled.assertions?.length ?? 0);
        if (actions < n) throw new Error(`dataform compiled only ${actions} actions:\n${m.stdout.slice(0, 2000)}`);
        record(shape, n, 'dataform compile', m);
      } catch (e) {
        console.log(`${shape} ${n} dataform compile failed: ${String(e).slice(0, 1000)}`);
      }
    }
    if (!keep) done.push(dir);
    else console.log(`kept ${dir}`);
  }
}

/**
 * The same DAG as a Dataform project: one SQLX action per tsdbt model (a view
 * or table with its resolved SQL and `${ref()}` in place of each ref), unique
 * and not-null tests as the action's built-in assertions, and each other
 * test (relationships, accepted values) as an assertion action of its own.
 */
function generateDataformProject(df, projectDir) {
  const manifest = JSON.parse(readFileSync(join(projectDir, 'target/manifest.json'), 'utf8'));
  mkdirSync(join(df, 'definitions'), { recursive: true });
  writeFileSync(join(df, 'workflow_settings.yaml'), 'defaultProject: bench\ndefaultLocation: US\ndefaultDataset: dataform\ndefaultAssertionDataset: dataform_assertions\n');
  writeFileSync(join(df, 'package.json'), JSON.stringify({ name: 'bench', dependencies: { '@dataform/core': '3' } }));
  // A copy, not a link: Dataform's sandbox loads @dataform/core only from inside the project.
  if (!existsSync(join(df, 'node_modules'))) cpSync(join(dataformDir, 'node_modules/@dataform/core'), join(df, 'node_modules/@dataform/core'), { recursive: true });
  const nodes = Object.values(manifest.nodes);
  const byId = new Map(nodes.map((x) => [x.unique_id, x]));
  const tests = new Map();
  for (const t of nodes.filter((x) => x.resource_type === 'test')) {
    const parent = t.attached_node ?? t.depends_on.nodes[0];
    if (!tests.has(parent)) tests.set(parent, []);
    tests.get(parent).push(t);
  }
  for (const m of nodes.filter((x) => x.resource_type === 'model')) {
    // The SQL with each relation of a parent written as Dataform's ref.
    let sql = m.compiled_code ?? m.raw_code;
    for (const id of m.depends_on.nodes) {
      const p = byId.get(id);
      if (p) sql = sql.split(`"${p.database}"."${p.schema}"."${p.alias}"`).join(`\${ref("${p.name}")}`);
    }
    sql = sql.replace(/with __dbt__cte__/g, 'with cte_').replace(/__dbt__cte__/g, 'cte_');
    const own = tests.get(m.unique_id) ?? [];
    const builtIn = own.filter((t) => ['unique', 'not_null'].includes(t.test_metadata?.name));
    const assertions = builtIn.length ? `, assertions: { ${builtIn.some((t) => t.test_metadata.name === 'unique') ? 'uniqueKey: ["id"], ' : ''}${builtIn.some((t) => t.test_metadata.name === 'not_null') ? 'nonNull: ["id"]' : ''} }` : '';
    const type = m.config.materialized === 'table' || m.config.materialized === 'incremental' ? 'table' : 'view';
    writeFileSync(join(df, 'definitions', `${m.name}.sqlx`), `config { type: "${type}", tags: ${JSON.stringify(m.tags ?? [])}${assertions} }\n${sql}\n`);
    for (const t of own.filter((x) => !builtIn.includes(x))) {
      const to = t.depends_on.nodes.map((id) => byId.get(id)).filter((p) => p && p.unique_id !== m.unique_id)[0] ?? m;
      writeFileSync(join(df, 'definitions', `${t.name}.sqlx`), `config { type: "assertion" }\nselect id from \${ref("${m.name}")} where id not in (select id from \${ref("${to.name}")})\n`);
    }
  }
}

console.log('\n| shape | models | figure | wall | CPU (user+sys) | peak RSS | load (1 min, per run) | target | vs target |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.shape} | ${r.models} | ${r.figure} | ${r.s.toFixed(2)} s | ${r.cpu.toFixed(2)} s | ${r.mb.toFixed(0)} MB | ${r.load} | ${r.target} | ${r.vsTarget} |`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(rows, null, 2));
for (const path of [...done, aside]) rmSync(path, { recursive: true, force: true });

/** The first file under `dir` (depth first, sorted) ending in `ext`, if any. */
function findFile(dir, ext) {
  if (!existsSync(dir)) return undefined;
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    if (e.isFile() && e.name.endsWith(ext)) return path;
    if (e.isDirectory()) {
      const found = findFile(path, ext);
      if (found) return found;
    }
  }
  return undefined;
}
