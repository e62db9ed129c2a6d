import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic-write.js';
import path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, YAMLSeq } from 'yaml';
import { TsdbtError } from '../errors/tsdbt-error.js';

export type AddPackageSource = 'hub' | 'git' | 'local';

/**
 * `tsdbt deps --add-package name@version [--source hub|git|local]`: add an
 * entry to the project's packages file (dependencies.yml if that is where its
 * packages are declared, else packages.yml, created if missing) and drop any
 * existing entry that mentions the same package, as dbt does. Comments and
 * formatting of the rest of the file are kept. Returns the file written.
 */
export function addPackage(projectDir: string, nameAtVersion: string, source: AddPackageSource = 'hub'): string {
  // The version follows the last '@', unless that '@' belongs to an ssh URL (git@host:org/repo.git).
  const at = nameAtVersion.lastIndexOf('@');
  const hasVersion = at > 0 && !/[/:]/.test(nameAtVersion.slice(at + 1));
  const name = hasVersion ? nameAtVersion.slice(0, at) : nameAtVersion;
  const version = hasVersion ? nameAtVersion.slice(at + 1) : undefined;
  if (name === '' || (source === 'hub' && !version)) {
    throw new TsdbtError('USAGE', `--add-package ${JSON.stringify(nameAtVersion)} needs the form owner/name@version for a hub package`, {
      hint: 'For example: tsdbt deps --add-package dbt-labs/dbt_utils@1.1.1 (or pass --source git / --source local).',
    });
  }

  const dependenciesFile = path.join(projectDir, 'dependencies.yml');
  const useDependencies = existsSync(dependenciesFile) && /^packages\s*:/m.test(readFileSync(dependenciesFile, 'utf8'));
  const file = useDependencies ? dependenciesFile : path.join(projectDir, 'packages.yml');
  const label = path.basename(file);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const doc = parseDocument(text.trim() === '' ? 'packages: []\n' : text);
  if (doc.errors.length > 0) {
    throw new TsdbtError('PACKAGE_ERROR', `Invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}`, {
      file: label,
      hint: 'Fix the YAML syntax before adding a package.',
    });
  }
  let list = doc.get('packages');
  if (list === undefined || list === null || (isSeq(list) && list.items.length === 0 && (list as YAMLSeq).flow)) {
    list = new YAMLSeq();
    doc.set('packages', list);
  }
  if (!isSeq(list)) {
    throw new TsdbtError('PACKAGE_ERROR', `'packages' in ${label} is not a list`, {
      file: label,
      hint: 'Make packages: a list of entries before adding one.',
    });
  }
  // Like dbt: an entry any of whose values mentions the package is the same package.
  list.items = list.items.filter(
    (item) => !(isMap(item) && item.items.some((pair) => isScalar(pair.value) && String(pair.value.value).includes(name))),
  );

  const key = source === 'hub' ? 'package' : source;
  const entry: Record<string, unknown> = { [key]: name };
  if (version) entry[source === 'git' ? 'revision' : 'version'] = version.includes(',') ? version.split(',') : version;
  list.add(doc.createNode(entry));
  writeFileAtomic(file, doc.toString({ indentSeq: true }), 'the package list');
  return file;
}
