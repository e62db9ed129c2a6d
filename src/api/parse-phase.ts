import { VarResolver } from '../context/vars.js';
import { parseProject, type ParseResult } from '../project/parse.js';
import type { LoadedProject } from './load-project.js';

export interface ParseOptions {
  flags?: Record<string, unknown>;
}

/** parse: the loaded project's files into a Manifest (every broken file reported at once). */
export function parseLoaded(loaded: LoadedProject, opts: ParseOptions = {}): ParseResult {
  const userPackages = loaded.packages.filter((p) => p.kind !== 'internal');
  const vars = new VarResolver(
    loaded.cliVars,
    loaded.root.name,
    loaded.root.vars,
    Object.fromEntries(userPackages.filter((p) => p.kind === 'dependency').map((p) => [p.config.name, p.config.vars])),
  );
  const result = parseProject({
    packages: loaded.packages,
    env: loaded.jinja,
    adapter: loaded.adapter,
    shared: {
      target: loaded.target,
      vars,
      osEnv: loaded.env,
      secrets: loaded.secrets,
      invocationId: loaded.invocationId,
      runStartedAt: loaded.runStartedAt,
      flags: opts.flags ?? {},
      logger: loaded.logger,
    },
  });
  result.warnings.unshift(...loaded.warnings);
  return result;
}
