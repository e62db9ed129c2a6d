/**
 * The line `parse` ends with: how long it took since `started`, and the
 * manifest it wrote (none with --no-write-json). A module of its own: the
 * quick start (parse.ts) loads nothing of the parser.
 */
export function parsePerformanceLine(started: number, manifestPath: string | undefined): string {
  const took = `Performance info: parsed in ${((performance.now() - started) / 1000).toFixed(2)}s`;
  return manifestPath === undefined ? took : `${took}; wrote ${manifestPath}`;
}
