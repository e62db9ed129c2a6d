/**
 * The docs page's script (runs in the browser; no network, no libraries):
 * a router over `#!/overview`, `#!/lineage`, `#<unique_id>`, `#macro:<id>`;
 * the project and database trees; search over names, descriptions and
 * columns; markdown in descriptions; and lineage graphs drawn as SVG with a
 * layered layout (longest-path layers, barycenter ordering), clickable.
 */
export const DOCS_SCRIPT = String.raw`
const D = JSON.parse(document.getElementById('data').textContent);
const byId = new Map(D.entries.map((e) => [e.id, e]));
const macroById = new Map(D.macros.map((m) => [m.id, m]));
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const href = (id) => '#' + encodeURIComponent(id);
const TYPE_COLOUR = { model: '#2f6fed', source: '#1a9b5b', seed: '#8a56cc', snapshot: '#d18b1f', exposure: '#d2452f', analysis: '#5b6b7c' };

// Markdown, safely: the text is escaped first; links only to http(s), mailto or the page itself; images from https
// or a relative path inside the site (an asset-paths folder docs generate copied beside it).
function md(text) {
  if (!text) return '';
  const blocks = [];
  let src = String(text).replace(/\r\n/g, '\n').replace(/\u0060\u0060\u0060[^\n]*\n([\s\S]*?)\u0060\u0060\u0060/g, (_, code) => { blocks.push('<pre>' + esc(code) + '</pre>'); return '\u0000' + (blocks.length - 1) + '\u0000'; });
  const inline = (s) => esc(s)
    .replace(/\u0060([^\u0060]+)\u0060/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>')
    .replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (m, t, u) => /^https:/i.test(u) || /^[\w][\w.\/-]*$/.test(u) && !u.split('/').includes('..') ? '<img src="' + u + '" alt="' + t + '">' : t)
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (m, t, u) => /^(https?:|mailto:|#)/i.test(u) ? '<a href="' + u + '" rel="noopener">' + t + '</a>' : t);
  return src.split(/\n{2,}/).map((para) => {
    const p = para.trim();
    if (/^\u0000\d+\u0000$/.test(p)) return blocks[Number(p.slice(1, -1))];
    const h = /^(#{1,4})\s+(.*)$/.exec(p);
    if (h) return '<h' + (h[1].length + 2) + '>' + inline(h[2]) + '</h' + (h[1].length + 2) + '>';
    if (/^[-*]\s+/.test(p)) return '<ul>' + p.split(/\n/).map((l) => '<li>' + inline(l.replace(/^[-*]\s+/, '')) + '</li>').join('') + '</ul>';
    return '<p>' + inline(p).replace(/\n/g, '<br>') + '</p>';
  }).join('');
}

function link(id) {
  const e = byId.get(id);
  return e ? '<a href="' + href(id) + '">' + esc(e.name) + '</a> <span class="meta">' + esc(e.type) + '</span>' : '<span class="meta">' + esc(id) + '</span>';
}

// ---- the sidebar: project tree, database tree, search ----
let tab = 'project';
function tree() {
  const q = $('q').value.trim().toLowerCase();
  if (q) return search(q);
  const groups = new Map();
  const put = (path, item) => { const k = path.join(' / '); if (!groups.has(k)) groups.set(k, []); groups.get(k).push(item); };
  for (const e of D.entries) {
    if (tab === 'project') put([e.pkg, e.folder || e.type + 's'], e);
    else if (e.type !== 'exposure' && e.type !== 'analysis') put([e.database || '(default)', e.schema || ''], e);
  }
  let html = '';
  for (const [k, es] of [...groups.entries()].sort()) {
    html += '<details open><summary>' + esc(k) + '</summary>' + es.map((e) => '<a class="item t-' + e.type + (decodeURIComponent(location.hash.slice(1)) === e.id ? ' on' : '') + '" href="' + href(e.id) + '">' + esc(tab === 'database' && e.relation ? e.name : e.name) + '</a>').join('') + '</details>';
  }
  if (tab === 'project' && D.macros.length) {
    const byPkg = new Map();
    for (const m of D.macros) { if (!byPkg.has(m.pkg)) byPkg.set(m.pkg, []); byPkg.get(m.pkg).push(m); }
    for (const [pkg, ms] of byPkg) html += '<details><summary>' + esc(pkg) + ' / macros</summary>' + ms.map((m) => '<a class="item" href="#macro:' + encodeURIComponent(m.id) + '">' + esc(m.name) + '</a>').join('') + '</details>';
  }
  $('tree').innerHTML = html;
}

function search(q) {
  const hits = [];
  for (const e of D.entries) {
    if (e.name.toLowerCase().includes(q)) hits.push([0, e, 'name']);
    else if ((e.description || '').toLowerCase().includes(q)) hits.push([1, e, 'description']);
    else {
      const c = e.columns.find((c) => c.name.toLowerCase().includes(q) || (c.description || '').toLowerCase().includes(q));
      if (c) hits.push([2, e, 'column ' + c.name]);
    }
  }
  for (const m of D.macros) if (m.name.toLowerCase().includes(q)) hits.push([3, { id: 'macro:' + m.id, name: m.name, type: 'macro' }, 'macro']);
  hits.sort((a, b) => a[0] - b[0] || a[1].name.localeCompare(b[1].name));
  $('tree').innerHTML = '<div class="meta">' + hits.length + ' results</div>' + hits.slice(0, 200).map(([, e, why]) => '<a class="item hit" href="' + (e.type === 'macro' ? '#' + e.id : href(e.id)) + '">' + esc(e.name) + ' <span class="meta">' + esc(e.type) + ' \u00b7 ' + esc(why) + '</span></a>').join('');
}

// ---- lineage: a layered layout drawn as SVG ----
function lineageSet(id, up, down) {
  const keep = new Set([id]);
  const walk = (start, dir, depth) => {
    let frontier = [start];
    for (let d = 0; d < depth && frontier.length; d++) {
      const next = [];
      for (const x of frontier) for (const y of (byId.get(x)?.[dir] || [])) if (!keep.has(y) && byId.has(y)) { keep.add(y); next.push(y); }
      frontier = next;
    }
  };
  walk(id, 'parents', up);
  walk(id, 'children', down);
  return keep;
}

function drawGraph(ids, focus) {
  const nodes = [...ids];
  const inSet = new Set(nodes);
  const layer = new Map();
  const order = topo(nodes, inSet);
  for (const n of order) {
    let l = 0;
    for (const p of byId.get(n).parents) if (inSet.has(p)) l = Math.max(l, (layer.get(p) ?? 0) + 1);
    layer.set(n, l);
  }
  const layers = [];
  for (const n of order) (layers[layer.get(n)] ??= []).push(n);
  const pos = new Map();
  layers.forEach((ls) => ls.forEach((n, i) => pos.set(n, i)));
  for (let sweep = 0; sweep < 4; sweep++) {
    for (const ls of (sweep % 2 ? [...layers].reverse() : layers)) {
      const bary = (n) => { const nb = [...byId.get(n).parents, ...byId.get(n).children].filter((x) => inSet.has(x)); return nb.length ? nb.reduce((s, x) => s + pos.get(x), 0) / nb.length : pos.get(n); };
      ls.sort((a, b) => bary(a) - bary(b)).forEach((n, i) => pos.set(n, i));
    }
  }
  const W = 230, H = 34, NW = 190, NH = 24;
  const rows = Math.max(...layers.map((l) => l.length));
  const width = layers.length * W + 20, height = rows * H + 20;
  const xy = (n) => [10 + layer.get(n) * W, 10 + pos.get(n) * H + (rows - layers[layer.get(n)].length) * H / 2];
  let edges = '', boxes = '';
  for (const n of nodes) {
    const [x2, y2] = xy(n);
    for (const p of byId.get(n).parents) {
      if (!inSet.has(p)) continue;
      const [x1, y1] = xy(p);
      edges += '<path class="edge" data-from="' + esc(p) + '" data-to="' + esc(n) + '" d="M' + (x1 + NW) + ',' + (y1 + NH / 2) + ' C' + (x1 + NW + 20) + ',' + (y1 + NH / 2) + ' ' + (x2 - 20) + ',' + (y2 + NH / 2) + ' ' + x2 + ',' + (y2 + NH / 2) + '"/>';
    }
    const e = byId.get(n);
    boxes += '<g class="node' + (n === focus ? ' focus' : '') + '" data-id="' + esc(n) + '" transform="translate(' + x2 + ',' + y2 + ')"><rect width="' + NW + '" height="' + NH + '" rx="4" fill="' + (TYPE_COLOUR[e.type] || '#777') + '"/><text x="8" y="16">' + esc(e.name.length > 26 ? e.name.slice(0, 25) + '\u2026' : e.name) + '</text><title>' + esc(e.type + ' ' + e.name) + '</title></g>';
  }
  return '<svg class="graph" width="' + width + '" height="' + height + '" viewBox="0 0 ' + width + ' ' + height + '">' + edges + boxes + '</svg>';
}

function topo(nodes, inSet) {
  const indeg = new Map(nodes.map((n) => [n, byId.get(n).parents.filter((p) => inSet.has(p)).length]));
  const queue = nodes.filter((n) => indeg.get(n) === 0).sort();
  const out = [];
  while (queue.length) {
    const n = queue.shift();
    out.push(n);
    for (const c of byId.get(n).children) if (inSet.has(c)) { indeg.set(c, indeg.get(c) - 1); if (indeg.get(c) === 0) queue.push(c); }
  }
  for (const n of nodes) if (!out.includes(n)) out.push(n);
  return out;
}

function wireGraph(container) {
  container.querySelectorAll('g.node').forEach((g) => g.addEventListener('click', () => { location.hash = href(g.getAttribute('data-id')); }));
}

// ---- pages ----
function testText(t) {
  const args = Object.entries(t.args || {}).map(([k, v]) => k + ': ' + (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  return '<span class="test" title="' + esc(t.name) + '">' + esc(t.test) + (args ? ' <span class="meta">(' + esc(args) + ')</span>' : '') + (t.severity !== 'ERROR' ? ' <span class="tag">' + esc(t.severity.toLowerCase()) + '</span>' : '') + (t.where ? ' <span class="meta">where ' + esc(t.where) + '</span>' : '') + '</span>';
}

function entryPage(e) {
  const depth = Number(sessionStorage.getItem('depth') || 1);
  let h = '<h1>' + esc(e.name) + '</h1><div class="meta">' + esc(e.type) + (e.materialized ? ' \u00b7 ' + esc(e.materialized) : '') + ' \u00b7 ' + esc(e.pkg) + ' \u00b7 ' + esc(e.path) + (e.relation ? ' \u00b7 <code>' + esc(e.relation) + '</code>' : '') + '</div>';
  if (e.tags.length) h += '<p>' + e.tags.map((t) => '<span class="tag">' + esc(t) + '</span>').join('') + '</p>';
  h += '<h2>Description</h2>' + (md(e.description) || '<p class="meta">No description.</p>');
  if (e.type === 'exposure') {
    h += '<h2>Details</h2><table class="kv"><tr><th>Type</th><td>' + esc(e.exposureType) + '</td></tr><tr><th>Maturity</th><td>' + esc(e.maturity || '') + '</td></tr><tr><th>Owner</th><td>' + esc(e.owner?.name || '') + (e.owner?.email ? ' &lt;<a href="mailto:' + esc(e.owner.email) + '">' + esc(e.owner.email) + '</a>&gt;' : '') + '</td></tr>' + (e.url ? '<tr><th>URL</th><td>' + (/^https?:/i.test(e.url) ? '<a href="' + esc(e.url) + '" rel="noopener">' + esc(e.url) + '</a>' : esc(e.url)) + '</td></tr>' : '') + '</table>';
  }
  if (e.columns.length) h += '<h2>Columns</h2><table class="cols"><tr><th>Column</th><th>Type</th><th>Description</th><th>Tests</th></tr>' + e.columns.map((c) => '<tr id="col-' + esc(c.name) + '"><td><code>' + esc(c.name) + '</code></td><td>' + esc(c.type) + '</td><td>' + md(c.description) + '</td><td>' + (c.testDetails || []).map(testText).join('<br>') + '</td></tr>').join('') + '</table>';
  if (e.tests?.length) h += '<h2>Tests</h2>' + e.tests.map(testText).join('<br>');
  h += '<h2>Lineage</h2><div class="ctl">depth <select id="depth">' + [1, 2, 3, 5, 99].map((d) => '<option value="' + d + '"' + (d === depth ? ' selected' : '') + '>' + (d === 99 ? 'all' : d) + '</option>').join('') + '</select> <a href="#!/lineage">whole project</a></div><div id="graph">' + drawGraph(lineageSet(e.id, depth, depth), e.id) + '</div>';
  h += '<h2>Depends on</h2>' + (e.parents.length ? e.parents.map(link).join('<br>') : '<span class="meta">nothing</span>');
  h += '<h2>Referenced by</h2>' + (e.children.length ? e.children.map(link).join('<br>') : '<span class="meta">nothing</span>');
  if (e.raw) h += '<h2>Code</h2><pre>' + esc(e.raw) + '</pre>';
  if (e.compiled) h += '<h2>Compiled</h2><pre>' + esc(e.compiled) + '</pre>';
  $('page').innerHTML = h;
  wireGraph($('graph'));
  $('depth').addEventListener('change', (ev) => { sessionStorage.setItem('depth', ev.target.value); show(); });
}

function overviewPage() {
  const counts = {};
  for (const e of D.entries) counts[e.type] = (counts[e.type] || 0) + 1;
  const summary = '<p class="meta">' + Object.entries(counts).map(([t, n]) => n + ' ' + t + (n === 1 ? '' : t.endsWith('s') ? 'es' : 's')).join(', ') + (D.macros.length ? ', ' + D.macros.length + ' macros' : '') + '. Generated ' + esc(D.generatedAt) + '.</p>';
  $('page').innerHTML = '<h1>' + esc(D.project) + '</h1>' + (D.overview ? md(D.overview) : '<p>Welcome to the documentation of <strong>' + esc(D.project) + '</strong>. Pick a resource on the left, search, or open the <a href="#!/lineage">lineage graph</a>.</p>') + summary;
}

function lineagePage() {
  const ids = D.entries.filter((e) => e.type !== 'analysis').map((e) => e.id);
  $('page').innerHTML = '<h1>Lineage</h1><p class="meta">' + ids.length + ' resources; click one to open it.</p><div id="graph">' + drawGraph(new Set(ids), null) + '</div>';
  wireGraph($('graph'));
}

function macroPage(m) {
  $('page').innerHTML = '<h1>' + esc(m.name) + '</h1><div class="meta">macro \u00b7 ' + esc(m.pkg) + ' \u00b7 ' + esc(m.path) + '</div><h2>Description</h2>' + (md(m.description) || '<p class="meta">No description.</p>')
    + '<h2>Arguments</h2>' + (m.args.length ? '<table class="cols"><tr><th>Name</th><th>Type</th><th>Description</th></tr>' + m.args.map((a) => '<tr><td><code>' + esc(a.name) + '</code></td><td>' + esc(a.type) + '</td><td>' + md(a.description) + '</td></tr>').join('') + '</table>' : '<p class="meta">None documented.</p>')
    + '<h2>Code</h2><pre>' + esc(m.sql) + '</pre>';
}

function show() {
  const h = decodeURIComponent(location.hash.slice(1));
  if (h === '!/lineage') lineagePage();
  else if (h.startsWith('macro:') && macroById.has(h.slice(6))) macroPage(macroById.get(h.slice(6)));
  else if (byId.has(h)) entryPage(byId.get(h));
  else overviewPage();
  tree();
}

document.querySelectorAll('#tabs button').forEach((b) => b.addEventListener('click', () => { tab = b.dataset.tab; document.querySelectorAll('#tabs button').forEach((x) => x.classList.toggle('on', x === b)); tree(); }));
$('q').addEventListener('input', tree);
addEventListener('hashchange', show);
show();
`;
