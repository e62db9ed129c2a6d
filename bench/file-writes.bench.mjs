// How much compile's file writes cost on this machine's filesystem (issue 18):
// N small files (compiled SQL's size) created in a fresh folder, then the same
// files replaced four ways: truncated and rewritten ('w'), through a temp file
// renamed over each (as compile replaces a changed file), rewritten in place
// without truncation ('r+'), and read and compared first (as compile leaves an
// unchanged file); last, the folder deleted and the same files created again.
// Each way runs ROUNDS times, in turn, and prints its times.
//
// Run: node bench/file-writes.bench.mjs [files=8000] [rounds=3] [dir=os.tmpdir()]
// (Give a dir on the filesystem you care about: /dev/shm is memory.)
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [files = 8000, rounds = 3] = process.argv.slice(2, 4).map(Number);
const base = mkdtempSync(join(process.argv[4] ?? tmpdir(), 'tsdbt-writes-'));
const body = Buffer.from('select id, name, amount from "db"."main"."upstream" where amount > 0\n'.repeat(4));
const paths = (dir) => Array.from({ length: files }, (_, i) => join(dir, `model_${i}.sql`));

const ways = {
  create: (dir) => {
    mkdirSync(dir, { recursive: true });
    for (const p of paths(dir)) writeFileSync(p, body, { flag: 'wx' });
  },
  truncate: (dir) => {
    for (const p of paths(dir)) writeFileSync(p, body);
  },
  'temp+rename': (dir) => {
    for (const p of paths(dir)) {
      writeFileSync(`${p}.tmp`, body);
      renameSync(`${p}.tmp`, p);
    }
  },
  'in place': (dir) => {
    for (const p of paths(dir)) {
      const fd = openSync(p, 'r+');
      writeSync(fd, body, 0, body.length, 0);
      closeSync(fd);
    }
  },
  'read+compare': (dir) => {
    for (const p of paths(dir)) if (!readFileSync(p).equals(body)) writeFileSync(p, body);
  },
  // The folder deleted (untimed, just before), then the same files created at the same paths.
  'create after rm': (dir) => {
    mkdirSync(dir, { recursive: true });
    for (const p of paths(dir)) writeFileSync(p, body, { flag: 'wx' });
  },
};
/** Untimed work before a way: 'create after rm' starts from its folder just deleted. */
const before = { 'create after rm': (dir) => rmSync(dir, { recursive: true, force: true }) };

const times = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
try {
  for (let r = 0; r < rounds; r++) {
    const dir = join(base, `round-${r}`);
    for (const [name, way] of Object.entries(ways)) {
      before[name]?.(dir);
      const t0 = performance.now();
      way(dir);
      times[name].push(performance.now() - t0);
    }
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}
console.log(`${files} files of ${body.length} bytes under ${process.argv[4] ?? tmpdir()}, ${rounds} rounds:`);
console.log('| way | ms each round | vs create (median) |\n|---|---|---|');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, xs] of Object.entries(times)) console.log(`| ${name} | ${xs.map((x) => x.toFixed(0)).join(' ')} | ${(median(xs) / median(times.create)).toFixed(2)}x |`);
