import type { ServerResponse } from 'node:http';
import { sendText } from './http-kit.js';

/**
 * The page for people at `/`: pick metrics and a group-by from the catalog or
 * type a question, run it as a job with live progress from the event stream,
 * and see the rows and, for a time series, a line chart. Self-contained: no
 * script or style from anywhere else. The token comes from `?access_token=`.
 */
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tsdbt analytics</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2433;background:#f6f7f9}
header{background:#1d2433;color:#fff;padding:10px 20px;font-weight:600}
main{display:grid;grid-template-columns:300px 1fr;gap:16px;padding:16px 20px}
section{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:12px}
label{display:block;font-weight:600;margin:8px 0 4px}
select,input,button{font:inherit;width:100%;box-sizing:border-box;padding:6px}
select[multiple]{height:180px}
button{margin-top:10px;background:#2f6fed;color:#fff;border:0;border-radius:4px;cursor:pointer}
#progress{height:8px;background:#e6e9ee;border-radius:4px;overflow:hidden;margin:8px 0}
#bar{height:100%;width:0;background:#2f6fed;transition:width .2s}
table{border-collapse:collapse;width:100%;margin-top:8px}th,td{border-bottom:1px solid #e6e9ee;padding:4px 8px;text-align:left}
th{background:#f0f2f5}#status{color:#555}.err{color:#b42318}
svg{width:100%;height:260px;background:#fff}
</style></head><body>
<header>tsdbt analytics</header>
<main>
<section>
<label for="question">Ask a question</label>
<input id="question" placeholder="PRs merged per week in the last 8 weeks">
<button id="ask">Ask</button>
<label for="metrics">Metrics</label><select id="metrics" multiple></select>
<label for="groupby">Group by</label><select id="groupby"><option value="">(none)</option></select>
<label for="grain">Time grain</label><select id="grain"><option>day</option><option selected>week</option><option>month</option><option>quarter</option><option>year</option></select>
<button id="run">Run</button>
</section>
<section>
<div id="status">Pick metrics, or ask a question.</div>
<div id="progress"><div id="bar"></div></div>
<div id="explain"></div>
<svg id="chart" role="img" aria-label="chart"></svg>
<div id="table"></div>
</section>
</main>
<script>
const token = new URLSearchParams(location.search).get('access_token') || '';
const H = { 'authorization': 'Bearer ' + token, 'content-type': 'application/json' };
const $ = (id) => document.getElementById(id);
const status = (t, err) => { $('status').textContent = t; $('status').className = err ? 'err' : ''; };
async function api(method, path, body) {
  const r = await fetch(path, { method, headers: H, body: body ? JSON.stringify(body) : undefined });
  const j = await r.json();
  if (!r.ok) throw new Error((j.error && j.error.message) + (j.error && j.error.issues ? ' ' + j.error.issues.map(i => i.message).join('; ') : ''));
  return j;
}
async function load() {
  const [{ metrics }, { dimensions }] = await Promise.all([api('GET', '/analytics/metrics'), api('GET', '/analytics/dimensions')]);
  for (const m of metrics) $('metrics').add(new Option(m.label + ' (' + m.name + ')', m.name));
  for (const d of dimensions) $('groupby').add(new Option(d.name, d.name));
  status('Ready: ' + metrics.length + ' metrics.');
}
function specFromForm() {
  const metrics = [...$('metrics').selectedOptions].map(o => o.value);
  const g = $('groupby').value;
  const dims = g ? [g === 'metric_time' ? { field: g, interval: $('grain').value } : { field: g }] : [];
  return { metrics, group_by: dims, limit: 1000 };
}
function run(spec) {
  status('Submitting...');
  $('bar').style.width = '0';
  api('POST', '/analytics/jobs', spec).then((job) => {
    const es = new EventSource('/analytics/jobs/' + job.id + '/stream?access_token=' + encodeURIComponent(token));
    const step = (e) => { const j = JSON.parse(e.data); $('bar').style.width = Math.round(j.progress * 100) + '%'; status('Job ' + j.status + ' (' + Math.round(j.progress * 100) + '%)'); };
    es.addEventListener('status', step);
    es.addEventListener('progress', step);
    es.addEventListener('completed', async (e) => { es.close(); step(e); const r = await api('GET', '/analytics/jobs/' + job.id + '/result'); show(r); status('Completed: ' + r.rows.length + ' rows.'); });
    es.addEventListener('failed', (e) => { es.close(); const j = JSON.parse(e.data); status('Failed: ' + j.error.message, true); });
    es.addEventListener('cancelled', () => { es.close(); status('Cancelled.', true); });
  }).catch((e) => status(e.message, true));
}
function show(r) {
  const head = '<tr>' + r.columns.map(c => '<th>' + esc(c) + '</th>').join('') + '</tr>';
  const body = r.rows.map(row => '<tr>' + r.columns.map(c => '<td>' + esc(row[c])+ '</td>').join('') + '</tr>').join('');
  $('table').innerHTML = '<table><thead>' + head + '</thead><tbody>' + body + '</tbody></table>';
  chart(r);
}
function esc(v) { return String(v === null || v === undefined ? '' : v).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]); }
function chart(r) {
  const svg = $('chart'); svg.innerHTML = '';
  const t = r.columns.find(c => c.startsWith('metric_time'));
  const m = r.columns.find(c => c !== t && r.rows.every(row => row[c] === null || typeof row[c] === 'number'));
  if (!t || !m || r.rows.length < 2) return;
  const rows = [...r.rows].sort((a, b) => String(a[t]).localeCompare(String(b[t])));
  const ys = rows.map(x => Number(x[m]) || 0), max = Math.max(...ys, 1), W = 800, Hh = 240;
  const pts = rows.map((x, i) => (20 + i * (W - 40) / (rows.length - 1)).toFixed(1) + ',' + (Hh - 10 - (Number(x[m]) || 0) / max * (Hh - 30)).toFixed(1));
  svg.setAttribute('viewBox', '0 0 ' + W + ' ' + Hh);
  const axis = '<line x1="20" y1="' + (Hh - 10) + '" x2="' + (W - 20) + '" y2="' + (Hh - 10) + '" stroke="#99a1ad"/>'
    + '<text x="20" y="' + (Hh - 12) + '" font-size="11" fill="#555">' + esc(rows[0][t]) + '</text>'
    + '<text x="' + (W - 20) + '" y="' + (Hh - 12) + '" font-size="11" fill="#555" text-anchor="end">' + esc(rows[rows.length - 1][t]) + '</text>'
    + '<text x="' + (W - 20) + '" y="14" font-size="11" fill="#555" text-anchor="end">max ' + esc(max) + '</text>';
  svg.innerHTML = axis + '<polyline id="line" fill="none" stroke="#2f6fed" stroke-width="2" points="' + pts.join(' ') + '"/><text x="20" y="14" font-size="12">' + esc(m) + ' by ' + esc(t) + '</text>';
}
$('run').onclick = () => run(specFromForm());
$('ask').onclick = () => api('POST', '/analytics/nl', { question: $('question').value })
  .then((a) => { $('explain').textContent = 'Understood: ' + a.explanation; run(Object.assign({}, a.spec, { limit: a.spec.limit || 1000 })); })
  .catch((e) => status(e.message, true));
load().catch((e) => status(e.message, true));
</script></body></html>`;

export function servePage(res: ServerResponse): void {
  sendText(res, 200, 'text/html; charset=utf-8', PAGE);
}
