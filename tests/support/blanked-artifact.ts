import { readFileSync } from 'node:fs';

/**
 * An artifact's bytes (manifest.json, semantic_manifest.json) with the metadata's generated_at and invocation_id
 * blanked, and each unit test's created_at (when its parse made it): the only bytes two parses of the same project may differ in.
 */
export function blankedArtifact(path: string): string {
  return blankedCreatedAt(readFileSync(path, 'utf8').replace(/^(\{"metadata":\{[^{}]*?"generated_at":)"[^"]*","invocation_id":"[^"]*"/, '$1"-","invocation_id":"-"'));
}

/** manifest.json's text with each unit test's created_at blanked (0). */
export function blankedCreatedAt(text: string): string {
  return text.replace(/"created_at": ?[0-9.e+-]+/g, '"created_at":0');
}
