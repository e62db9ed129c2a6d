// What a properties file's aliases cost the `yaml` path: files of N aliases
// (each `*anchor` a column's shared tests, as cal-itp's warehouse writes
// them), read by composeWithYaml, with the time per alias. The time per alias
// stays flat when each alias is resolved without walking the document again;
// it grew with N before (every alias walked the whole document).
//
//   npm run build && node bench/yaml-aliases.bench.mjs [N ...]   (default 100 200 400 800 1600)
import { join, resolve } from 'node:path';

const here = resolve(new URL('..', import.meta.url).pathname);
const { composeWithYaml } = await import(join(here, 'dist/util/yaml.js'));

function properties(aliases) {
  const lines = ['version: 2', 'models:', '  - name: m', '    columns:', '      - name: c0', '        data_tests: &tests', '          - not_null', '          - unique'];
  for (let i = 1; i <= aliases; i++) lines.push(`      - name: c${i}`, `        description: column ${i}`, '        data_tests: *tests');
  return `${lines.join('\n')}\n`;
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const counts = sizes.length > 0 ? sizes : [100, 200, 400, 800, 1600];
for (let w = 0; w < 3; w++) for (const n of counts) composeWithYaml(properties(n), 'warm.yml');
const rows = [];
for (const n of counts) {
  const text = properties(n);
  const times = [];
  for (let r = 0; r < 5; r++) {
    const start = process.hrtime.bigint();
    const value = composeWithYaml(text, 'm.yml').value;
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (value.models[0].columns.length !== n + 1) throw new Error('wrong value');
  }
  const median = times.sort((a, b) => a - b)[2];
  rows.push({ aliases: n, lines: text.split('\n').length - 1, ms: median, usPerAlias: (median * 1000) / n });
}
console.log('| aliases | lines | median ms (5 reads) | µs an alias | against the smallest |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.aliases} | ${r.lines} | ${r.ms.toFixed(1)} | ${r.usPerAlias.toFixed(1)} | ${(r.usPerAlias / rows[0].usPerAlias).toFixed(2)}x |`);
