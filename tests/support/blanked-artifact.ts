import { readFileSync } from 'node:fs';

/** An artifact's bytes (manifest.json, semantic_manifest.json) with the metadata's generated_at and invocation_id blanked: the only bytes two parses of the same project may differ in. */
export function blankedArtifact(path: string): string {
  return readFileSync(path, 'utf8').replace(/^(\{"metadata":\{[^{}]*?"generated_at":)"[^"]*","invocation_id":"[^"]*"/, '$1"-","invocation_id":"-"');
}
