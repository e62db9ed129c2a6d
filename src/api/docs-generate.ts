import { writeManifests } from './parse-phase.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { buildCatalog, type CatalogRow } from '../artifacts/catalog.js';
import { docsSiteFor } from '../artifacts/docs-site.js';
import { runtimeContext, type StoredResult } from '../context/runtime-context.js';
import { onConnectionNamed, scopedOperation } from '../execute/operations.js';
import { callJinja } from '../jinja/index.js';
import { DBT_VERSION } from '../project/dbt-version.js';
import { compileOne } from './compile.js';
import { openExecution, type ExecutionOptions } from './execution.js';

export interface DocsResult {
  catalogPath: string;
  indexPath: string;
  /** With `static`: target/static_index.html, the same site (tsdbt's index.html carries its data already). */
  staticIndexPath?: string;
  manifestPath: string;
  /** Nodes and sources found in the database. */
  nodesInCatalog: number;
  sourcesInCatalog: number;
  compileErrors: string[];
}

/**
 * `docs generate`: compile the models (unless noCompile), read every column
 * of their relations and the sources' from the database, and write
 * target/manifest.json, target/catalog.json and a self-contained
 * target/index.html to browse them; with `static` (dbt's --static) also
 * target/static_index.html, which dbt writes with the manifest and catalog
 * inlined to open without a server: tsdbt's index.html already is that.
 */
export async function docsGenerate(opts: ExecutionOptions & { noCompile?: boolean; emptyCatalog?: boolean; static?: boolean } = {}): Promise<DocsResult> {
  const exec = await openExecution(opts, 'generate', undefined);
  try {
    // As dbt's: the assets first, then the compile.
    copyDocsAssets(exec.loaded.projectDir, exec.targetDir, exec.root.assetPaths);
    const manifest = exec.parsed.manifest;
    const compileErrors: string[] = [];
    if (!opts.noCompile) {
      for (const id of exec.graph.topologicalOrder()) {
        const node = manifest.nodes[id];
        if (!node || !exec.selected.has(id) || !['model', 'analysis', 'snapshot'].includes(node.resource_type)) continue;
        const r = compileOne(exec, node);
        if (r.status === 'error') compileErrors.push(r.message ?? id);
      }
    }
    const schemas = new Set<string>();
    for (const n of Object.values(manifest.nodes)) if (['model', 'seed', 'snapshot'].includes(n.resource_type)) schemas.add(n.schema);
    for (const s of Object.values(manifest.sources)) schemas.add(s.schema);
    const macro = exec.parsed.registry.find('tsdbt_get_catalog', exec.root.name)!;
    const node = scopedOperation({ shared: exec.shared, compiler: exec.compiler, projectName: exec.root.name, projectDir: exec.loaded.projectDir }, 'docs.generate', '');
    const r = runtimeContext(exec.shared, node, { allowUndeclaredRefs: true });
    // dbt reads the catalog on connections named `<database>.information_schema`.
    // --empty-catalog, as dbt's: no catalog query, a catalog.json with no nodes or sources.
    const stored = opts.emptyCatalog ? null : (onConnectionNamed(exec.shared, `${exec.session.info.database}.information_schema`, () => callJinja(r.resolver.bind(macro), [[...schemas]], {})) as StoredResult | null);
    const names = stored?.table.column_names ?? [];
    const rows = (stored?.table?.rawRows ?? stored?.data ?? []).map((row) => Object.fromEntries(names.map((n, i) => [n.toLowerCase(), row[i]])) as unknown as CatalogRow);
    const catalog = buildCatalog(manifest, rows, { dbt_version: DBT_VERSION, generated_at: new Date().toISOString(), invocation_id: exec.loaded.invocationId });
    const catalogPath = join(exec.targetDir, 'catalog.json');
    writeFileAtomic(catalogPath, JSON.stringify(catalog), 'the catalog');
    const indexPath = join(exec.targetDir, 'index.html');
    const site = docsSiteFor(exec.root.name, manifest, catalog, new Set(exec.loaded.packages.filter((p) => p.kind === 'internal').map((p) => p.config.name)));
    writeFileAtomic(indexPath, site, 'the docs site');
    const staticIndexPath = opts.static ? join(exec.targetDir, 'static_index.html') : undefined;
    if (staticIndexPath) writeFileAtomic(staticIndexPath, site, 'the static docs site');
    return {
      catalogPath,
      indexPath,
      ...(staticIndexPath ? { staticIndexPath } : {}),
      manifestPath: writeManifests(exec.targetDir, manifest),
      nodesInCatalog: Object.keys(catalog.nodes).length,
      sourcesInCatalog: Object.keys(catalog.sources).length,
      compileErrors,
    };
  } finally {
    await exec.close();
  }
}

/**
 * dbt's asset-paths: each folder copied into the target folder under the same path, replacing what an earlier
 * generate copied there (a folder that is not there copies nothing). One that holds the target folder is refused.
 */
function copyDocsAssets(projectDir: string, targetDir: string, assetPaths: readonly string[]): void {
  for (const asset of assetPaths) {
    const from = resolve(projectDir, asset);
    const inside = relative(from, resolve(targetDir));
    if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
      throw new TsdbtError('PROJECT_INVALID', `asset-paths entry '${asset}' holds the target folder ${targetDir}, so it cannot be copied into it`, {
        file: 'dbt_project.yml',
        hint: 'Name a folder of docs assets (images), e.g. asset-paths: ["assets"].',
      });
    }
    const to = join(targetDir, asset);
    rmSync(to, { recursive: true, force: true });
    if (existsSync(from)) cpSync(from, to, { recursive: true });
  }
}
