/**
 * One switch for the shortcuts that make parse and compile scale (context
 * members shared between nodes, templates reused by content, compiled files
 * written in batches, ...). Each shortcut must give exactly what the plain
 * path gives; tests turn the switch off and compare manifests and compiled
 * SQL byte for byte. Off when TSDBT_FAST_PATHS=0; tests call setFastPaths.
 */
let enabled = process.env.TSDBT_FAST_PATHS !== '0';

export function fastPaths(): boolean {
  return enabled;
}

/** Turn the shortcuts on or off (for differential tests); returns the previous setting. */
export function setFastPaths(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}
