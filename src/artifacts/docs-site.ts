import type { Manifest } from '../manifest/types.js';
import type { Catalog } from './catalog.js';

/** What the docs page needs of each resource; kept small so the page loads fast. */
interface DocEntry {
  id: string;
  type: string;
  name: string;
  pkg: string;
  path: string;
  relation: string | null;
  description: string;
  materialized?: string;
  tags: string[];
  columns: { name: string; type: string; description: string; tests: string[] }[];
  parents: string[];
  children: string[];
  raw: string;
  compiled: string;
}

/** The resources and lineage the docs page shows, from the manifest and catalog. */
export function docEntries(manifest: Manifest, catalog: Catalog): DocEntry[] {
  const testsOn = new Map<string, string[]>();
  for (const n of Object.values(manifest.nodes)) {
    if (n.resource_type !== 'test' || !n.attached_node || !n.column_name || !n.test_metadata) continue;
    const k = `${n.attached_node}|${n.column_name}`;
    testsOn.set(k, [...(testsOn.get(k) ?? []), n.test_metadata.name]);
  }
  const out: DocEntry[] = [];
  const add = (
    m: { unique_id: string; resource_type: string; name: string; package_name: string; original_file_path: string; description: string; tags: string[]; columns?: Record<string, { name: string; description: string; data_type?: string | null }> },
    extra: Partial<DocEntry>,
  ) => {
    const cat = catalog.nodes[m.unique_id] ?? catalog.sources[m.unique_id];
    const names = new Set([...Object.keys(m.columns ?? {}), ...Object.keys(cat?.columns ?? {})]);
    const findCat = (name: string) => cat?.columns[name] ?? Object.values(cat?.columns ?? {}).find((c) => c.name.toLowerCase() === name.toLowerCase());
    out.push({
      id: m.unique_id,
      type: m.resource_type,
      name: m.name,
      pkg: m.package_name,
      path: m.original_file_path,
      relation: null,
      description: m.description,
      tags: m.tags,
      columns: [...names]
        .filter((n, i, all) => all.findIndex((x) => x.toLowerCase() === n.toLowerCase()) === i)
        .map((name) => ({
          name,
          type: findCat(name)?.type ?? m.columns?.[name]?.data_type ?? '',
          description: m.columns?.[name]?.description ?? '',
          tests: testsOn.get(`${m.unique_id}|${name}`) ?? [],
        })),
      parents: manifest.parent_map[m.unique_id] ?? [],
      children: (manifest.child_map[m.unique_id] ?? []).filter((c) => !c.startsWith('test.')),
      raw: '',
      compiled: '',
      ...extra,
    });
  };
  for (const n of Object.values(manifest.nodes)) {
    if (!['model', 'seed', 'snapshot', 'analysis'].includes(n.resource_type)) continue;
    add(n, { relation: n.relation_name, materialized: n.config.materialized, raw: n.raw_code, compiled: n.compiled_code ?? '' });
  }
  for (const s of Object.values(manifest.sources)) add(s, { relation: s.relation_name, name: `${s.source_name}.${s.name}` });
  for (const e of Object.values(manifest.exposures)) add(e, { materialized: e.type });
  return out.sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}

/** A self-contained docs page (no network): resources by type, search, columns, lineage, code. */
export function docsSiteHtml(projectName: string, entries: DocEntry[]): string {
  const data = JSON.stringify({ project: projectName, entries }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(projectName)} — tsdbt docs</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{margin:0;font:14px/1.45 system-ui,sans-serif;display:flex;height:100vh;color:#1d2733}
nav{width:300px;overflow:auto;border-right:1px solid #dde3ea;background:#f6f8fa;padding:12px}
main{flex:1;overflow:auto;padding:20px 28px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:22px 0 6px}
nav h3{font-size:12px;text-transform:uppercase;color:#5b6b7c;margin:14px 0 4px}
nav a{display:block;padding:2px 4px;border-radius:3px;color:#1d2733;text-decoration:none}
nav a:hover,nav a.on{background:#dbe7f5}
input{width:100%;box-sizing:border-box;padding:6px;border:1px solid #c5ced8;border-radius:4px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e6ebf0;padding:4px 8px;text-align:left;vertical-align:top}
code,pre{font-family:ui-monospace,monospace;font-size:12px}pre{background:#f6f8fa;padding:10px;overflow:auto;border-radius:4px}
.meta{color:#5b6b7c}.tag{background:#e8eef5;border-radius:3px;padding:0 5px;margin-right:4px;font-size:12px}
</style></head>
<body><nav><input id="q" placeholder="Search" aria-label="Search"><div id="list"></div></nav><main id="page"></main>
<script id="data" type="application/json">${data}</script>
<script>
const D=JSON.parse(document.getElementById('data').textContent);const byId=new Map(D.entries.map(e=>[e.id,e]));
const esc=s=>String(s??'').replace(/[&<>"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
const link=id=>{const e=byId.get(id);return e?'<a href="#'+encodeURIComponent(id)+'">'+esc(e.name)+'</a> <span class="meta">'+esc(e.type)+'</span>':'<span class="meta">'+esc(id)+'</span>'};
function list(){const q=document.getElementById('q').value.toLowerCase();const groups={};for(const e of D.entries){if(q&&!(e.name+' '+e.description).toLowerCase().includes(q))continue;(groups[e.type]??=[]).push(e)}
document.getElementById('list').innerHTML=Object.entries(groups).map(([t,es])=>'<h3>'+esc(t==='analysis'?'analyses':t+'s')+'</h3>'+es.map(e=>'<a href="#'+encodeURIComponent(e.id)+'"'+(location.hash.slice(1)===encodeURIComponent(e.id)?' class="on"':'')+'>'+esc(e.name)+'</a>').join('')).join('')}
function show(){const id=decodeURIComponent(location.hash.slice(1));const e=byId.get(id);const p=document.getElementById('page');
if(!e){p.innerHTML='<h1>'+esc(D.project)+'</h1><p class="meta">'+D.entries.length+' resources. Pick one on the left.</p>';list();return}
p.innerHTML='<h1>'+esc(e.name)+'</h1><div class="meta">'+esc(e.type)+(e.materialized?' · '+esc(e.materialized):'')+' · '+esc(e.path)+(e.relation?' · <code>'+esc(e.relation)+'</code>':'')+'</div>'
+(e.tags.length?'<p>'+e.tags.map(t=>'<span class="tag">'+esc(t)+'</span>').join('')+'</p>':'')
+'<h2>Description</h2><p>'+(esc(e.description)||'<span class="meta">No description.</span>')+'</p>'
+(e.columns.length?'<h2>Columns</h2><table><tr><th>Column</th><th>Type</th><th>Description</th><th>Tests</th></tr>'+e.columns.map(c=>'<tr><td><code>'+esc(c.name)+'</code></td><td>'+esc(c.type)+'</td><td>'+esc(c.description)+'</td><td>'+esc(c.tests.join(', '))+'</td></tr>').join('')+'</table>':'')
+'<h2>Depends on</h2>'+(e.parents.length?e.parents.map(link).join('<br>'):'<span class="meta">nothing</span>')
+'<h2>Referenced by</h2>'+(e.children.length?e.children.map(link).join('<br>'):'<span class="meta">nothing</span>')
+(e.raw?'<h2>Code</h2><pre>'+esc(e.raw)+'</pre>':'')+(e.compiled?'<h2>Compiled</h2><pre>'+esc(e.compiled)+'</pre>':'');list()}
document.getElementById('q').addEventListener('input',list);addEventListener('hashchange',show);show();
</script></body></html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
