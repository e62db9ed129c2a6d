// Which YAML files take the fast block reader and which fall back to the
// `yaml` package, what each path costs, and which constructs the fallback
// files contain. Corpus: every .yml/.yaml under EXT_DIR (dbt projects and
// packages; dot-folders such as .github, dbt_packages and target are skipped)
// plus the two generated bench projects.
//
//   npx tsc -p tsconfig.build.json && node bench/yaml-paths.mjs [--files] [--only DIR]
//
//   EXT_DIR  checkouts (default /work/ext); absent: only the generated projects
//   --files  also print one line per fallback file with its constructs
//
// Times are CPU-bound in-process medians of REPEAT reads (default 5) per file,
// after one warm-up read of the whole corpus (so they are warm-JIT figures; a
// cold `tsdbt parse` pays more per file, in the same proportion).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Parser } from 'yaml';
import { generateProject, generateRealisticProject } from './generate-project.mjs';

const here = resolve(new URL('..', import.meta.url).pathname);
const { parseBlockYaml } = await import(join(here, 'dist/util/yaml-block.js'));
const { composeWithYaml } = await import(join(here, 'dist/util/yaml.js'));

const args = process.argv.slice(2);
const listFiles = args.includes('--files');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? resolve(args[onlyAt + 1]) : undefined;
const extDir = process.env.EXT_DIR ?? '/work/ext';
const repeat = Number(process.env.REPEAT ?? 5);

function* yamlFiles(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'dbt_packages' || e.name === 'target') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* yamlFiles(p);
    else if (/\.ya?ml$/.test(e.name)) yield p;
  }
}

const gen = mkdtempSync(join(tmpdir(), 'tsdbt-yaml-paths-'));
generateProject(join(gen, 'bench'), 2000);
generateRealisticProject(join(gen, 'realistic'), 2000);
const roots = [...(existsSync(extDir) ? [extDir] : []), gen];
const files = [];
for (const root of roots) {
  for (const f of yamlFiles(root)) {
    if (only && !f.startsWith(only)) continue;
    const label = f.startsWith(gen) ? `generated/${relative(gen, f)}` : relative(extDir, f);
    files.push({ label, text: readFileSync(f, 'utf8'), bytes: statSync(f).size });
  }
}

/** The constructs a document holds, from the `yaml` package's concrete syntax tree. */
function constructs(text) {
  const found = new Set();
  if (text.includes('\t')) found.add('tab');
  if (text.includes('\r')) found.add('CR line end');
  const walk = (tok, inFlow) => {
    if (!tok || typeof tok !== 'object') return;
    if (Array.isArray(tok)) return tok.forEach((t) => walk(t, inFlow));
    switch (tok.type) {
      case 'block-scalar': {
        const header = tok.props?.find((p) => p.type === 'block-scalar-header')?.source ?? '';
        found.add(`block scalar ${header[0]}${/[+-]/.test(header) ? ' chomp' : ''}${/\d/.test(header) ? ' indent-ind' : ''}`);
        break;
      }
      case 'flow-collection':
        if (inFlow) found.add('nested flow');
        if (/\\n/.test(JSON.stringify(tok.end ?? []) + JSON.stringify(tok.items ?? []))) found.add('multi-line flow');
        break;
      case 'scalar':
        if (tok.source.includes('\n')) found.add('multi-line plain');
        if (tok.source === '<<') found.add('merge key');
        break;
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        if (tok.source.includes('\n')) found.add('multi-line quoted');
        break;
      case 'alias': found.add('alias'); break;
      case 'anchor': found.add('anchor'); break;
      case 'tag': found.add('tag'); break;
      case 'doc-start': found.add('document marker'); break;
      case 'doc-end': found.add('document marker'); break;
      case 'directive': found.add('directive'); break;
      case 'explicit-key-ind': found.add('explicit key'); break;
      case 'error': found.add('syntax error'); break;
    }
    for (const [k, v] of Object.entries(tok)) if (typeof v === 'object' && k !== 'props') walk(v, inFlow || tok.type === 'flow-collection');
    if (tok.props) walk(tok.props.filter((p) => p.type !== 'block-scalar-header'), inFlow);
  };
  let docs = 0;
  for (const tok of new Parser().parse(text)) {
    if (tok.type === 'document') docs++;
    walk(tok, false);
  }
  if (docs > 1) found.add('several documents');
  return [...found];
}

const time = (fn) => {
  const samples = [];
  for (let i = 0; i < repeat; i++) {
    const t = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
};
const tryYaml = (text) => {
  try {
    return composeWithYaml(text, 'x.yml');
  } catch {
    return undefined;
  }
};

for (const f of files) parseBlockYaml(f.text), tryYaml(f.text); // warm up
const rows = files.map((f) => {
  let reason = '(reader gives no reason)';
  const fast = parseBlockYaml(f.text, (why) => (reason = why)) !== undefined;
  const tFast = time(() => parseBlockYaml(f.text));
  const tYaml = time(() => tryYaml(f.text));
  return { ...f, fast, reason, tFast, tYaml, tPath: fast ? tFast : tFast + tYaml, constructs: fast ? [] : constructs(f.text) };
});
rmSync(gen, { recursive: true, force: true });

const sum = (xs, k) => xs.reduce((a, r) => a + r[k], 0);
const ms = (x) => x.toFixed(1).padStart(9);
const fastRows = rows.filter((r) => r.fast);
const slowRows = rows.filter((r) => !r.fast);
const groupOf = (label) => (label.startsWith('generated/') ? label.split('/').slice(0, 2).join('/') : label.split('/')[0]);
console.log(`YAML files: ${rows.length} (${(sum(rows, 'bytes') / 1024).toFixed(0)} KiB), fast path ${fastRows.length} (${((100 * fastRows.length) / rows.length).toFixed(0)}% of files, ${((100 * sum(fastRows, 'bytes')) / sum(rows, 'bytes')).toFixed(0)}% of bytes)`);
console.log(`median of ${repeat} reads per file, ms (fast = parseBlockYaml, yaml = composeWithYaml; path = what parseYaml pays)`);
console.log(`${'group'.padEnd(34)}${'files'.padStart(6)}${'fast'.padStart(6)}${'KiB'.padStart(7)}${'path ms'.padStart(9)}${'yaml ms'.padStart(9)}`);
const groups = [...new Set(rows.map((r) => groupOf(r.label)))].sort();
for (const g of [...groups, 'TOTAL']) {
  const rs = g === 'TOTAL' ? rows : rows.filter((r) => groupOf(r.label) === g);
  console.log(`${g.padEnd(34)}${String(rs.length).padStart(6)}${String(rs.filter((r) => r.fast).length).padStart(6)}${(sum(rs, 'bytes') / 1024).toFixed(0).padStart(7)}${ms(sum(rs, 'tPath'))}${ms(sum(rs, 'tYaml'))}`);
}
console.log(`\nby path:  fast ${fastRows.length} files ${ms(sum(fastRows, 'tFast'))} ms (yaml would take ${sum(fastRows, 'tYaml').toFixed(1)} ms) | fallback ${slowRows.length} files ${ms(sum(slowRows, 'tPath'))} ms (of which the declined fast try ${sum(slowRows, 'tFast').toFixed(1)} ms)`);

const byConstruct = new Map();
for (const r of slowRows) for (const c of r.constructs.length ? r.constructs : ['(none found: reader limit)']) {
  const e = byConstruct.get(c) ?? { files: 0, ms: 0, alone: 0 };
  e.files++;
  e.ms += r.tPath;
  if (r.constructs.length <= 1) e.alone++;
  byConstruct.set(c, e);
}
console.log(`\nconstructs in the ${slowRows.length} fallback files (a file may hold several; "only" = the file's sole construct)`);
console.log(`${'construct'.padEnd(34)}${'files'.padStart(6)}${'only'.padStart(6)}${'path ms'.padStart(9)}`);
for (const [c, e] of [...byConstruct].sort((a, b) => b[1].ms - a[1].ms)) console.log(`${c.padEnd(34)}${String(e.files).padStart(6)}${String(e.alone).padStart(6)}${ms(e.ms)}`);
const byReason = new Map();
for (const r of slowRows) byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
console.log(`\nwhy the fast reader declined (its own first reason)`);
for (const [why, n] of [...byReason].sort((a, b) => b[1] - a[1])) console.log(`${why.padEnd(50)}${String(n).padStart(6)}`);
if (listFiles) {
  console.log('\nfallback files');
  for (const r of slowRows.sort((a, b) => b.tPath - a.tPath)) console.log(`${ms(r.tPath)}  ${r.label}: ${r.reason}; holds ${r.constructs.join(', ') || '(none found)'}`);
}
