import type { MessagePort } from 'node:worker_threads';
import { newCapture } from '../context/parse-context.js';
import type { TsdbtError } from '../errors/tsdbt-error.js';
import { readMacroFiles } from './macro-files.js';
import { emptyRegistry, nodeParseScope, parseContexts, rendersAtParse, renderAtParse, type ParseInput } from './parse.js';
import type { ParseObserver } from './partial-parse-reads.js';
import { plainData } from './partial-parse-memo.js';
import { CLAIMED_THERE, GAVE_UP, POSTED, shareKey, STOP, type FromShareWorker } from './render-share.js';
import { readSqlNodeFiles, type NodeFile } from './sql-node-files.js';

/**
 * The worker side of RenderShare: with `input` loaded as the parsing thread
 * loaded it (its osEnv recorded by `observer`, its logger calling
 * `logged`), reads the macros and the node files, posts the list of those
 * that need a render, then renders them from the last one backwards, each
 * once claimed, until it meets a file the parsing thread claimed or is told
 * to stop. A render that read the config, logged, raised or captured what a
 * structured clone would change is posted as 'own' (the parsing thread
 * renders it). Returns the number of renders posted.
 */
export function renderShareWork(input: ParseInput, observer: ParseObserver, logged: () => number, port: MessagePort, state: Int32Array): number {
  try {
    const errors: TsdbtError[] = [];
    const registry = emptyRegistry(input);
    for (const p of input.packages) readMacroFiles(p.config, input.env, registry, {}, errors);
    const contexts = parseContexts(input, registry);
    const scope = nodeParseScope(input, contexts, errors, []);
    const files: NodeFile[] = [];
    for (const p of input.packages) {
      if (p.kind === 'internal') continue;
      for (const nf of readSqlNodeFiles(p.config)) if (rendersAtParse(nf.node, scope)) files.push(nf);
    }
    // A broken macro file: the parsing thread reports it; nothing is rendered here.
    if (errors.length > 0 || Atomics.load(state, STOP) === 1) return giveUp(state, port);
    const claims = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, files.length)));
    // The last file is this worker's before the parsing thread sees the list: it renders at least one.
    const last = files.length - 1;
    if (last >= 0) claims[last] = CLAIMED_THERE;
    port.postMessage({ type: 'list', keys: files.map((f) => shareKey(f.node)), claims: claims.buffer } satisfies FromShareWorker);
    Atomics.notify(state, POSTED);
    let posted = 0;
    for (let i = last; i >= 0 && Atomics.load(state, STOP) === 0; i--) {
      if (i < last && Atomics.compareExchange(claims, i, 0, CLAIMED_THERE) !== 0) break; // the parsing thread got here
      const nf = files[i]!;
      const node = nf.node;
      const capture = newCapture();
      const loggedBefore = logged();
      const { result: ok, reads } = observer.around(() => {
        try {
          renderAtParse(nf, scope, capture);
          return true;
        } catch {
          return false;
        }
      });
      const same = ok && logged() === loggedBefore && plainData(capture);
      port.postMessage((same ? { type: 'render', i, checksum: node.checksum.checksum, capture, reads } : { type: 'own', i }) satisfies FromShareWorker);
      posted++;
      Atomics.add(state, POSTED, 1);
      Atomics.notify(state, POSTED);
    }
    return posted;
  } catch {
    return giveUp(state, port);
  }
}

function giveUp(state: Int32Array, port: MessagePort): number {
  Atomics.store(state, GAVE_UP, 1);
  Atomics.notify(state, POSTED);
  port.close();
  return 0;
}
