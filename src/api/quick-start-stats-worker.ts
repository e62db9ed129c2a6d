import { parentPort, workerData } from 'node:worker_threads';
import { statSignatureOfFolders } from '../util/file-states.js';

/**
 * Worker thread body of statSignatureInWorker (quick-start-stats.ts):
 * statSignatureOfFolders(folders), posted back as one string.
 */
const { folders } = workerData as { folders: { root: string; folders: string[] }[] };
parentPort!.postMessage(statSignatureOfFolders(folders));
