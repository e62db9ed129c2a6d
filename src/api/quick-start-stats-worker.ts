import { parentPort, workerData } from 'node:worker_threads';
import { rowsSignature, statFolders } from '../util/file-states.js';

/**
 * Worker thread body of statSignatureInWorker (quick-start-stats.ts):
 * the signature of statFolders(folders), posted back as one string.
 */
const { folders } = workerData as { folders: { root: string; folders: string[] }[] };
parentPort!.postMessage(rowsSignature(statFolders(folders)));
