import type { Manifest } from '../manifest/types.js';
import type { Catalog } from './catalog.js';
import { docsData, type DocsData } from './docs-data.js';
import { DOCS_SCRIPT } from './docs-page-script.js';

export { docsData, type DocEntry, type DocsData } from './docs-data.js';

const STYLE = `
body{margin:0;font:14px/1.45 system-ui,sans-serif;display:flex;height:100vh;color:#1d2733}
nav{width:310px;overflow:auto;border-right:1px solid #dde3ea;background:#f6f8fa;padding:12px;box-sizing:border-box}
main{flex:1;overflow:auto;padding:20px 28px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:22px 0 6px}h3,h4,h5,h6{font-size:14px;margin:14px 0 4px}
nav .brand{font-weight:700;margin-bottom:8px}nav .brand a{color:#1d2733;text-decoration:none}
#tabs{display:flex;gap:4px;margin:8px 0}#tabs button{flex:1;border:1px solid #c5ced8;background:#fff;border-radius:4px;padding:4px;cursor:pointer}#tabs button.on{background:#dbe7f5}
summary{cursor:pointer;font-size:12px;color:#5b6b7c;margin-top:8px}
a.item{display:block;padding:2px 6px;border-radius:3px;color:#1d2733;text-decoration:none;border-left:3px solid transparent}
a.item:hover,a.item.on{background:#dbe7f5}
.t-model{border-left-color:#2f6fed!important}.t-source{border-left-color:#1a9b5b!important}.t-seed{border-left-color:#8a56cc!important}.t-snapshot{border-left-color:#d18b1f!important}.t-exposure{border-left-color:#d2452f!important}
input{width:100%;box-sizing:border-box;padding:6px;border:1px solid #c5ced8;border-radius:4px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e6ebf0;padding:4px 8px;text-align:left;vertical-align:top}table.kv th{width:120px}
code,pre{font-family:ui-monospace,monospace;font-size:12px}pre{background:#f6f8fa;padding:10px;overflow:auto;border-radius:4px}main img{max-width:100%}
.meta{color:#5b6b7c}.tag{background:#e8eef5;border-radius:3px;padding:0 5px;margin-right:4px;font-size:12px}
#graph{overflow:auto;border:1px solid #e6ebf0;border-radius:4px;max-height:70vh}
svg.graph .edge{fill:none;stroke:#9aa7b5;stroke-width:1.2}
svg.graph .node{cursor:pointer}svg.graph .node text{fill:#fff;font-size:12px}svg.graph .node.focus rect{stroke:#111;stroke-width:3}
.ctl{margin:4px 0 8px}
td p{margin:0}
`;

/**
 * A self-contained docs site (one HTML file, no network): an overview, the
 * project and database trees, search, each resource with its columns, tests,
 * lineage graph and code, macros with their arguments, and the whole
 * project's lineage.
 */
export function docsSiteHtml(data: DocsData): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(data.project)} — tsdbt docs</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${STYLE}</style></head>
<body><nav><div class="brand"><a href="#!/overview">${escapeHtml(data.project)}</a></div><input id="q" placeholder="Search names, descriptions, columns" aria-label="Search">
<div id="tabs"><button class="on" data-tab="project">Project</button><button data-tab="database">Database</button></div><div id="tree"></div></nav><main id="page"></main>
<script id="data" type="application/json">${json}</script>
<script>${DOCS_SCRIPT}</script></body></html>
`;
}

/** The docs site of a manifest and catalog (`internalPackages`: tsdbt's own, whose macros it leaves out). */
export function docsSiteFor(projectName: string, manifest: Manifest, catalog: Catalog, internalPackages: ReadonlySet<string>): string {
  return docsSiteHtml(docsData(projectName, manifest, catalog, internalPackages));
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
