/**
 * Graph build, selection and scheduling over a generated 8,000-member
 * manifest. Run: node bench/graph/run.mjs  (prints a table of timings).
 */
import { buildGraph, parseSelection, ReadyQueue, selectNodes, evaluateSelection } from '../../src/graph/index.js';
import { generateManifest } from './generate-manifest.js';

function time<T>(label: string, fn: () => T, rows: string[][], repeat = 5): T {
  let result!: T;
  const samples: number[] = [];
  for (let i = 0; i < repeat; i += 1) {
    const t0 = performance.now();
    result = fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  rows.push([label, samples[0]!.toFixed(2), samples[Math.floor(samples.length / 2)]!.toFixed(2)]);
  return result;
}

export async function main(): Promise<void> {
  // The machine is shared: print a reference figure so timings can be read against the load.
  const c0 = performance.now();
  const calib = new Map<string, number>();
  for (let i = 0; i < 1e6; i += 1) calib.set(`k${i}`, i);
  console.log(`calibration: 1e6 Map.set of fresh strings in ${(performance.now() - c0).toFixed(0)} ms`);
  const size = Number(process.env.GRAPH_BENCH_SIZE ?? 8000);
  const rows: string[][] = [];
  const t0 = performance.now();
  const manifest = generateManifest(size);
  const genMs = performance.now() - t0;
  const graph = time('buildGraph (incl. cycle check + topo order)', () => buildGraph(manifest), rows);
  const counts: Record<string, number> = {};
  for (const id of graph.nodeIds()) counts[graph.member(id)!.resource_type] = (counts[graph.member(id)!.resource_type] ?? 0) + 1;

  const cases: [string, Parameters<typeof selectNodes>[2]][] = [
    ['select all (build)', {}],
    ['--select +mart_700 (models)', { select: ['+mart_700'], defaultResourceTypes: ['model'] }],
    ['--select stg_10+ (build, eager tests)', { select: ['stg_10+'] }],
    ['--select @stg_10', { select: ['@stg_10'] }],
    ['--select tag:nightly,path:models/marts', { select: ['tag:nightly,path:models/marts'] }],
    ['--select int_* marts.d3.* --exclude tag:pii', { select: ['*.int_1*', 'marts.d3.*'], exclude: ['tag:pii'] }],
    ['--select config.materialized:table (cautious)', { select: ['config.materialized:table'], indirectSelection: 'cautious' }],
    ['--select staging (buildable)', { select: ['staging'], indirectSelection: 'buildable' }],
  ];
  const sizes: string[] = [];
  for (const [label, opts] of cases) {
    const r = time(`selectNodes ${label}`, () => selectNodes(manifest, graph, opts), rows);
    sizes.push(`${label}: ${r.selected.size} selected`);
  }
  const spec = time('parseSelection (3 terms + exclude)', () => parseSelection({ select: ['+mart_1', 'tag:a,path:models/x', '@stg_3+2'], exclude: ['tag:pii'] }), rows, 50);
  time('evaluateSelection of that spec', () => evaluateSelection(graph, spec), rows);

  const all = selectNodes(manifest, graph, {}).selected;
  time(`ReadyQueue construct over ${all.size}`, () => new ReadyQueue(graph, all), rows);
  time(`ReadyQueue construct with test edges`, () => new ReadyQueue(graph, all, { testEdges: true }), rows);
  time(`ReadyQueue drain ${all.size} (next + markDone)`, () => {
    const q = new ReadyQueue(graph, all);
    for (let id = q.next(); id !== undefined; id = q.next()) q.markDone(id);
    return q;
  }, rows);
  const q = new ReadyQueue(graph, all);
  const t1 = performance.now();
  const summary = await q.run(8, async () => true);
  const runMs = performance.now() - t1;
  rows.push([`ReadyQueue.run(8 workers, no-op async) ${summary.done.length} nodes`, runMs.toFixed(2), runMs.toFixed(2)]);

  const levels = new ReadyQueue(graph, all);
  const depth = Math.max(...[...all].map((id) => levels.score(id) ?? 0));
  console.log(`graph bench: ${graph.size} members ${JSON.stringify(counts)}, ${graph.graph.edgeCount()} edges, depth ${depth}; generated in ${genMs.toFixed(0)} ms`);
  const width = Math.max(...rows.map((r) => r[0]!.length));
  console.log(`${'step'.padEnd(width)}  ${'min ms'.padStart(8)}  ${'median ms'.padStart(9)}`);
  for (const [label, min, med] of rows) console.log(`${label!.padEnd(width)}  ${min!.padStart(8)}  ${med!.padStart(9)}`);
  console.log(sizes.join('\n'));
}
