// Node's own helper threads at a lower priority than the command's threads.
//
// V8 optimises hot functions and helps the garbage collector on a pool of
// platform threads (four, whatever the machine). On a 2-core machine a parse
// has its main thread and its YAML worker busy, and the pool's compiles take
// their share of both cores from them: the Tuva Project's first parse spent
// ~0.75 s of CPU in background TurboFan jobs beside 1.75 s on the main thread.
// Lowered, those jobs run when a core is free, as a browser runs its
// JavaScript engine's background work. Only threads alive when this runs are
// lowered, so it runs before the CLI starts any worker of its own (threads
// inherit their creator's priority: a worker started later keeps the normal one).
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How far below their current priority the helpers go (nice levels; 19 is the lowest). */
export const HELPER_NICE_STEP = 10;

/**
 * Lower every thread of this process but the main one by HELPER_NICE_STEP
 * nice levels. Linux only: there setpriority takes a thread's id. Off with
 * TSDBT_HELPER_THREADS=normal. A thread that cannot be lowered (gone, not
 * permitted) is left as it is. Returns the ids of the threads lowered.
 */
export function lowerHelperThreads({
  env = process.env,
  platform = process.platform,
  pid = process.pid,
  threads = () => readdirSync('/proc/self/task'),
  priorityOf = getPriority,
  setPriorityOf = setPriority,
} = {}) {
  if (platform !== 'linux' || env.TSDBT_HELPER_THREADS === 'normal') return [];
  const lowered = [];
  let ids;
  try {
    ids = threads();
  } catch {
    return lowered;
  }
  for (const id of ids) {
    const tid = Number(id);
    if (!Number.isInteger(tid) || tid === pid) continue;
    try {
      setPriorityOf(tid, Math.min(19, priorityOf(tid) + HELPER_NICE_STEP));
      lowered.push(tid);
    } catch {
      // gone, or not ours to change: it keeps its priority
    }
  }
  return lowered;
}
