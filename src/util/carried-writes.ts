import { writeReplacing } from './thread-file-writes.js';

/**
 * Files a thread hands to another along with a message it sends anyway
 * (compile/background-writer.ts's carried writes: a render worker's
 * compiled SQL rides with its next statement to the database connection's
 * worker, which writes it while the database runs the statement), in the
 * background writer's message form: `[0, seq, path, text, seq, path, text, …]`.
 */
export type CarriedWrites = (number | string)[];

/** What became of carried writes: every one was tried; these failed (sequence number, the error's message). */
export interface CarriedAck {
  failed: [number, string][];
}

/**
 * Write carried files here, in order, as the background writer's worker
 * writes a message's files (thread-file-writes.ts's writeReplacing); a
 * failure is reported by sequence number for the waiting side to redo (and
 * report).
 */
export function writeCarried(message: CarriedWrites): CarriedAck {
  const failed: [number, string][] = [];
  for (let i = 1; i + 2 < message.length; i += 3) {
    const seq = message[i] as number;
    try {
      writeReplacing(message[i + 1] as string, message[i + 2] as string);
    } catch (e) {
      failed.push([seq, String((e as Error | undefined)?.message ?? e)]);
    }
  }
  return { failed };
}
