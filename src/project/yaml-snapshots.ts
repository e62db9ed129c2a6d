import { TsdbtError } from '../errors/tsdbt-error.js';
import type { ResourcePatch } from './properties.js';
import { blankNode } from './node-defaults.js';
import type { ProjectConfig } from './project-config.js';
import type { NodeFile } from './sql-node-files.js';
import { staticParse } from './static-parse.js';

/**
 * dbt 1.9 YAML-defined snapshots.
 *
 * A `snapshots:` entry in any properties file of a package that has
 * `relation: ref('x')` (or `ref('pkg', 'x')`, `ref('x', v=2)`,
 * `source('s', 't')`) is a snapshot node by itself, without a `.sql` file.
 * As in dbt:
 * - its SQL is `select * from {{ <relation as written> }}`;
 * - unique_id `snapshot.<package>.<name>`, original_file_path the YAML file,
 *   path `<YAML path within its resource folder>/<name>.sql`, fqn
 *   `[package, ...folders of the YAML file, name]`;
 * - the same entry then patches it (description, columns, config, tests),
 *   exactly as an entry without `relation:` patches a `{% snapshot %}` block.
 *
 * The nodes are returned as NodeFiles so parseProject runs them through the
 * same pipeline as file-based nodes (config hierarchy, patch, validation,
 * duplicate-name check). `fileText` is shaped so that the ref found in it
 * sits on the line of `relation:`, which is where ref errors then point.
 */
export function yamlSnapshotFiles(pkg: ProjectConfig, snapshots: ReadonlyMap<string, ResourcePatch>, errors: TsdbtError[]): NodeFile[] {
  const out: NodeFile[] = [];
  for (const patch of snapshots.values()) {
    if (patch.raw.relation === undefined) continue;
    const relation = patch.raw.relation;
    const relationLine = patch.keyLine?.('relation') ?? patch.line ?? 1;
    const bad = relationError(patch, relation, relationLine);
    if (bad) {
      errors.push(bad);
      continue;
    }
    const relativeToFolder = withinFolder(pkg, patch.file);
    const dirs = relativeToFolder.split('/').slice(0, -1);
    const rawCode = `select * from {{ ${relation as string} }}`;
    const node = blankNode({
      unique_id: `snapshot.${pkg.name}.${patch.name}`,
      resource_type: 'snapshot',
      package_name: pkg.name,
      name: patch.name,
      path: `${relativeToFolder}/${patch.name}.sql`,
      original_file_path: patch.file,
      fqn: [pkg.name, ...dirs, patch.name],
      raw_code: rawCode,
    });
    out.push({ node, fileText: '\n'.repeat(relationLine - 1) + rawCode, lineOffset: (patch.line ?? 1) - 1, configTree: 'snapshots', root: pkg.root });
  }
  return out;
}

/** `relation:` must be one ref() or source() call with literal arguments, as dbt parses it statically. */
function relationError(patch: ResourcePatch, relation: unknown, line: number): TsdbtError | undefined {
  const hint = `Write relation: ref('<model, seed or snapshot>') or relation: source('<source>', '<table>'), without {{ }}.`;
  if (typeof relation !== 'string' || relation.trim() === '') {
    return new TsdbtError('SNAPSHOT_CONFIG', `Snapshot '${patch.name}' has relation: ${JSON.stringify(relation ?? null)}, which is not a ref() or source() expression`, { file: patch.file, line, hint });
  }
  const parsed = relation.includes('{') || relation.includes('}') ? null : staticParse(`{{ ${relation} }}`);
  const calls = parsed ? parsed.refs.length + parsed.sources.length + parsed.configCalls.length : 0;
  if (!parsed || calls !== 1 || parsed.configCalls.length > 0) {
    return new TsdbtError('SNAPSHOT_CONFIG', `Snapshot '${patch.name}' has relation: "${relation}", which is not a ref() or source() expression`, { file: patch.file, line, hint });
  }
  return undefined;
}

/** The YAML file's path inside the resource folder that holds it (dbt's `path` base). */
function withinFolder(pkg: ProjectConfig, file: string): string {
  const folders = [...pkg.modelPaths, ...pkg.snapshotPaths, ...pkg.seedPaths, ...pkg.analysisPaths, ...pkg.macroPaths, ...pkg.testPaths]
    .map((f) => f.replace(/^\.\//, '').replace(/\/+$/, ''))
    .sort((a, b) => b.length - a.length);
  const folder = folders.find((f) => file.startsWith(`${f}/`));
  return folder ? file.slice(folder.length + 1) : file;
}

/** Keys that only make sense on a snapshot definition: an entry with them but no `relation:` meant to define one. */
const DEFINING_KEYS = ['strategy', 'unique_key', 'updated_at', 'check_cols'];

/**
 * A `snapshots:` entry that matched no `{% snapshot %}` block. dbt only warns
 * about such patches; but when the entry carries snapshot-defining config
 * (strategy, unique_key, ...) it was meant to be a YAML snapshot and only
 * lacks `relation:`, so it is an error saying so. Otherwise undefined (the
 * caller keeps dbt's warning).
 */
export function missingRelationError(patch: ResourcePatch): TsdbtError | undefined {
  const config = patch.raw.config;
  const defining = config !== null && typeof config === 'object' ? Object.keys(config).filter((k) => DEFINING_KEYS.includes(k)) : [];
  if (defining.length === 0) return undefined;
  return new TsdbtError('SNAPSHOT_CONFIG', `Snapshot '${patch.name}' sets ${defining.join(', ')} but has no relation: and no {% snapshot ${patch.name} %} block`, {
    file: patch.file,
    line: patch.line,
    hint: `Add relation: ref('<model>') or relation: source('<source>', '<table>') to say what '${patch.name}' snapshots.`,
  });
}
