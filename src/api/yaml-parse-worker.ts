import { workerData, type MessagePort } from 'node:worker_threads';
import { serveYamlParses, type YamlWorkerData } from '../util/prefetched-yaml.js';

/**
 * Worker thread body of PrefetchedYaml (util/prefetched-yaml.ts): parses the
 * properties files it is given with the block reader and posts them back.
 * Started by yaml-worker-spawn.ts with its files, or by bin/tsdbt.js before
 * the CLI loads with only a port (util/early-yaml-worker.ts): then its files
 * are the first message there.
 */
const data = workerData as YamlWorkerData | { waitOn: MessagePort };
if ('waitOn' in data) {
  const port = data.waitOn;
  port.once('message', (files: YamlWorkerData) => {
    port.close();
    serveYamlParses(files);
  });
} else serveYamlParses(data);
