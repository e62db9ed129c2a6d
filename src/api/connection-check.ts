import { TsdbtError } from '../errors/tsdbt-error.js';
import type { LoadedProject } from './load-project.js';
import { openTargetConnection } from './open-connection.js';

/** `tsdbt debug`'s connection test: open a connection, run `select 1`, close. Returns a problem or null. */
export async function checkConnection(loaded: LoadedProject): Promise<string | null> {
  try {
    const { connection, close } = await openTargetConnection(loaded);
    try {
      await connection.execute('select 1');
    } finally {
      await close();
    }
    return null;
  } catch (e) {
    return loaded.secrets.redact(e instanceof TsdbtError ? e.format() : String(e));
  }
}
