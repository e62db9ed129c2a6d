#!/usr/bin/env node
// Makes a package's macro files from the macros a dbt manifest holds, over a
// copy of an older checkout of it: for when the release a project needs is
// not among the checkouts (the Fivetran packages of 2026 need fivetran_utils
// 0.4.11+, whose repository snapshot here stops at 0.4.10; their own
// docs/manifest.json holds every macro of the release they were built with).
// Each macro file the manifest names is written anew from its macros, in the
// manifest's order; other files are the checkout's.
//
//   node package-from-manifest.mjs <manifest.json> <package name> <older checkout> <out dir>
import fs from 'node:fs';
import path from 'node:path';

const [manifestPath, pkg, base, out] = process.argv.slice(2);
if (!manifestPath || !pkg || !base || !out) {
  console.error('usage: package-from-manifest.mjs <manifest.json> <package name> <older checkout> <out dir>');
  process.exit(2);
}
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
const byFile = new Map();
for (const m of Object.values(manifest.macros)) {
  if (m.package_name !== pkg) continue;
  if (!byFile.has(m.original_file_path)) byFile.set(m.original_file_path, []);
  byFile.get(m.original_file_path).push(m.macro_sql);
}
if (byFile.size === 0) {
  console.error(`${manifestPath} holds no macro of the package ${pkg}`);
  process.exit(1);
}
fs.rmSync(out, { recursive: true, force: true });
fs.cpSync(base, out, { recursive: true, filter: (p) => path.basename(p) !== '.git' });
for (const [file, sqls] of byFile) {
  fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
  fs.writeFileSync(path.join(out, file), `${sqls.join('\n\n')}\n`);
}
console.log(`${out}: ${byFile.size} macro files from ${manifestPath} (${manifest.metadata?.dbt_version ?? '?'}, ${manifest.metadata?.generated_at ?? '?'})`);
