#!/usr/bin/env node
// Rewrites a project's packages.yml (and, transitively, those of the packages
// it installs) so that hub and git packages resolve to local checkouts: each
// such package is copied once into <stage>/<name> and named by `local:`.
// The checkouts themselves are never modified.
//
//   node offline-packages.mjs <project dir> <stage dir> <ext dir>
//
// <ext dir> holds the checkouts, named as in CHECKOUTS below. A key
// `<package>@<version>` names the checkout of that exact version (the root
// project's pin); a package asked for again by a dependency reuses the copy
// staged first, as `deps` resolves one version per package.
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';

const CHECKOUTS = {
  'dbt-labs/dbt_utils': 'dbt-utils',
  'godatadriven/dbt_date': 'dbt-date',
  'calogica/dbt_date': 'dbt-date',
  'calogica/dbt_expectations': 'dbt-expectations',
  'metaplane/dbt_expectations': 'metaplane-dbt-expectations',
  // FIVETRAN_UTILS names another checkout (run-compat.sh: fivetran_utils-new, made by package-from-manifest.mjs).
  'fivetran/fivetran_utils': process.env.FIVETRAN_UTILS || 'fivetran_utils',
  'dbt-labs/spark_utils': 'spark_utils',
  'dbt-labs/dbt_project_evaluator': 'dbt-project-evaluator',
  'https://github.com/tuva-health/dbt-data-reliability.git': 'dbt-data-reliability',
  'https://github.com/elementary-data/dbt-data-reliability.git': 'dbt-data-reliability',
  'dbt-labs/codegen': 'dbt-codegen',
  'https://github.com/dbt-labs/dbt-audit-helper.git': 'dbt-audit-helper',
  'get-select/dbt_snowflake_query_tags': 'dbt-snowflake-query-tags',
  'get-select/dbt_query_tags': 'dbt-query-tags',
  'dbt-labs/dbt_utils@1.3.0': 'dbt-utils-1.3.0',
  'dbt-labs/dbt_utils@1.0.0': 'dbt-utils-1.0.0',
  'snowplow/snowplow_utils': 'dbt-snowplow-utils',
  'entechlog/dbt_snow_mask': 'dbt-snow-mask',
  'dbt-labs/dbt_external_tables': 'dbt-external-tables',
  'dbt-labs/dbt_project_evaluator@0.14.3': 'dbt-project-evaluator-0.14.3',
  'ScalefreeCOM/datavault4dbt': 'datavault4dbt-1.18.3',
};

const [projectDir, stageDir, extDir] = process.argv.slice(2);
if (!projectDir || !stageDir || !extDir) {
  console.error('usage: offline-packages.mjs <project dir> <stage dir> <ext dir>');
  process.exit(2);
}
fs.mkdirSync(stageDir, { recursive: true });
const staged = new Map();
const stagedByPackage = new Map();

function stage(key, version) {
  if (stagedByPackage.has(key)) return stagedByPackage.get(key);
  const pinned = typeof version === 'string' ? CHECKOUTS[`${key}@${version}`] : undefined;
  const checkout = pinned ?? CHECKOUTS[key];
  if (!checkout) throw new Error(`no local checkout known for package ${key}`);
  if (staged.has(checkout)) return staged.get(checkout);
  const dest = path.join(stageDir, checkout);
  staged.set(checkout, dest);
  stagedByPackage.set(key, dest);
  fs.cpSync(path.join(extDir, checkout), dest, {
    recursive: true,
    filter: (src) => !/[/\\](\.git|dbt_packages|target|logs)$/.test(src),
  });
  rewrite(dest);
  return dest;
}

const rewritten = new Set();

const checkoutsRoot = fs.realpathSync(extDir) + path.sep;

function rewrite(dir) {
  if (rewritten.has(dir)) return;
  rewritten.add(dir);
  // A `local:` entry (or a link) leading back into the checkouts would rewrite a
  // checkout in place, and every later run would read that rewrite.
  if ((fs.realpathSync(dir) + path.sep).startsWith(checkoutsRoot)) {
    throw new Error(`refusing to rewrite ${dir}: it is inside the checkouts (${extDir}); copy it into the stage first`);
  }
  for (const file of ['packages.yml', 'dependencies.yml']) {
    const at = path.join(dir, file);
    if (!fs.existsSync(at)) continue;
    const doc = parse(fs.readFileSync(at, 'utf8')) ?? {};
    if (!Array.isArray(doc.packages)) continue;
    doc.packages = doc.packages.map((entry) => {
      if (entry.local !== undefined) {
        rewrite(path.resolve(dir, entry.local));
        return entry;
      }
      const key = entry.package ?? entry.git;
      return { local: stage(key, entry.version) };
    });
    fs.writeFileSync(at, stringify(doc));
  }
}

rewrite(path.resolve(projectDir));

// A package-lock.yml whose hash still matches its (unchanged) packages.yml makes
// `deps` install what the lock pins, hub and git packages included: drop the
// locks that pin any such package, so `deps` resolves the rewritten files.
for (const dir of [projectDir, ...fs.readdirSync(projectDir).map((d) => path.join(projectDir, d))]) {
  const lock = path.join(dir, 'package-lock.yml');
  if (!fs.existsSync(lock)) continue;
  const doc = parse(fs.readFileSync(lock, 'utf8')) ?? {};
  if ((doc.packages ?? []).some((entry) => entry.local === undefined)) fs.rmSync(lock);
}
for (const [name, dest] of staged) console.log(`${name} -> ${dest}`);
