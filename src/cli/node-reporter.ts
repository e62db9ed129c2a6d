import type { CommandResult } from '../api/run.js';
import type { NodeResult } from '../execute/node-result.js';
import type { Output } from './output.js';

const LINE = 80;

/** dbt-style progress: `1 of 5 OK created sql view model main.stg_a .... [OK in 0.02s]`. */
export class NodeReporter {
  private index = 0;

  constructor(private readonly out: Output, private readonly total: number) {}

  onResult = (r: NodeResult): void => {
    const n = r.node;
    if (!n || (n.resource_type as string) === 'operation') return;
    this.index++;
    const rel = n.resource_type === 'test' || n.resource_type === 'unit_test' ? n.name : `${n.schema}.${n.alias}`;
    const kind = n.resource_type === 'model' ? `sql ${n.config.materialized} model` : n.resource_type;
    const [label, tag, colour] = this.describe(r, kind, rel);
    const left = `${this.total > 0 ? `${this.index} of ${this.total}` : this.index} ${label} `;
    const right = ` [${tag} in ${r.execution_time.toFixed(2)}s]`;
    const dots = '.'.repeat(Math.max(3, LINE - left.length - right.length));
    this.out.info(colour(`${left}${dots}${right}`));
  };

  private describe(r: NodeResult, kind: string, rel: string): [string, string, (s: string) => string] {
    const o = this.out;
    switch (r.status) {
      case 'success':
        return [`OK ${r.node.resource_type === 'seed' ? 'loaded' : 'created'} ${kind} ${rel}`, r.adapter_response && '_message' in r.adapter_response ? String(r.adapter_response._message) : 'OK', o.green.bind(o)];
      case 'pass':
        return [`PASS ${rel}`, 'PASS', o.green.bind(o)];
      case 'warn':
        return [`WARN ${r.failures ?? ''} ${rel}`, 'WARN', o.yellow.bind(o)];
      case 'fail':
        return [`FAIL ${r.failures ?? ''} ${rel}`, 'FAIL', o.red.bind(o)];
      case 'skipped':
        return [`SKIP relation ${rel}`, 'SKIP', o.yellow.bind(o)];
      case 'partial success':
        return [`PARTIAL SUCCESS creating ${kind} ${rel}`, r.message ?? 'PARTIAL SUCCESS', o.yellow.bind(o)];
      default:
        return [`ERROR creating ${kind} ${rel}`, 'ERROR', o.red.bind(o)];
    }
  }
}

/** The closing lines: failures with their messages and compiled SQL paths, then `Done. PASS=...`. */
export function reportSummary(out: Output, result: CommandResult): void {
  const rs = result.results.filter((r) => r.node && (r.node.resource_type as string) !== 'operation');
  const count = (s: string) => rs.filter((r) => r.status === s).length;
  out.info('');
  out.info(`Finished running ${rs.length} nodes in ${result.elapsed.toFixed(2)}s.`);
  const bad = result.results.filter((r) => r.status === 'error' || r.status === 'fail' || r.status === 'partial success' || (r.status === 'warn' && !result.success && !result.cancelled));
  const partial = count('partial success');
  if (result.cancelled) {
    // dbt's closing line for an interrupted run; the nodes it cancelled are listed below as errors.
    out.info(out.yellow('Exited because of keyboard interrupt.'));
    for (const r of bad) out.error(`  Cancelled ${r.node?.resource_type ?? ''} ${r.node?.name ?? r.unique_id}: ${(r.message ?? '').split('\n')[0]}`);
  } else if (bad.length === 0) {
    out.info(out.green('Completed successfully'));
  } else {
    const errors = bad.length - partial;
    const partials = `${partial} partial ${partial === 1 ? 'success' : 'successes'}`;
    const warnings = `${count('warn')} warning${count('warn') === 1 ? '' : 's'}`;
    // dbt 1.9's end-of-run wording once a microbatch model partly succeeded.
    if (partial > 0 && errors === 0) out.info(out.yellow(`Completed with ${partials} and ${warnings}`));
    else if (partial > 0) out.info(out.red(`Completed with ${errors} error${errors === 1 ? '' : 's'}, ${partials}, and ${warnings}:`));
    else out.info(out.red(`Completed with ${bad.length} error${bad.length === 1 ? '' : 's'}:`));
    for (const r of bad) {
      const what = r.node ? `${r.node.resource_type} ${r.node.name}` : r.unique_id;
      const msg = r.error ? r.error.format() : (r.message ?? '');
      out.error(`  ${r.status === 'fail' ? 'Failure' : 'Error'} in ${what} (${r.node?.original_file_path ?? ''})\n    ${msg.split('\n').join('\n    ')}${r.compiled_path ? `\n    compiled code at ${r.compiled_path}` : ''}`);
    }
  }
  out.info(`Done. PASS=${count('success') + count('pass')} WARN=${count('warn')} ERROR=${count('error') + count('fail') + partial} SKIP=${count('skipped')} TOTAL=${rs.length}`);
}
