import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as Yaml from 'yaml';

/**
 * The `yaml` package, loaded the first time it is asked for. Projects' YAML is
 * read by the block reader (yaml-block.ts); `yaml` serves only what that
 * declines, fromyaml/toyaml and deps, so most commands never need it (a Tuva
 * parse: not once), and its code is not loaded for them (in the bundle ~280 KB,
 * ~25 ms to compile and run at every start). From the CLI bundle it is
 * dist/bundle/yaml-lib.cjs (scripts/bundle.mjs makes it, `yaml` bundled in:
 * its 70 files cost more to load than their code); from tsc's output and the
 * TypeScript sources, the installed package.
 */
let lib: typeof Yaml | undefined;

export function yamlLib(): typeof Yaml {
  return (lib ??= loadYaml());
}

function loadYaml(): typeof Yaml {
  const require = createRequire(import.meta.url);
  const bundled = fileURLToPath(new URL('./yaml-lib.cjs', import.meta.url));
  return (existsSync(bundled) ? require(bundled) : require('yaml')) as typeof Yaml;
}
