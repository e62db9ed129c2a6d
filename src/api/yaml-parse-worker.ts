import { workerData } from 'node:worker_threads';
import { serveYamlParses, type YamlWorkerData } from '../util/prefetched-yaml.js';

/**
 * Worker thread body of PrefetchedYaml (util/prefetched-yaml.ts): parses the
 * properties files it is given with the block reader and posts them back.
 * Started by yaml-worker-spawn.ts.
 */
serveYamlParses(workerData as YamlWorkerData);
