import { TsdbtError } from '../errors/tsdbt-error.js';

/** The flags tsdbt accepts, as dbt spells them. `list` flags take every value up to the next flag. */
const FLAG_SPECS: Record<string, { name: string; kind: 'bool' | 'value' | 'list' }> = {
  '--project-dir': { name: 'projectDir', kind: 'value' },
  '--profiles-dir': { name: 'profilesDir', kind: 'value' },
  '--target': { name: 'target', kind: 'value' },
  '-t': { name: 'target', kind: 'value' },
  '--vars': { name: 'vars', kind: 'value' },
  '--threads': { name: 'threads', kind: 'value' },
  '--log-format': { name: 'logFormat', kind: 'value' },
  '--no-color': { name: 'noColor', kind: 'bool' },
  '--use-colors': { name: 'useColors', kind: 'bool' },
  '--quiet': { name: 'quiet', kind: 'bool' },
  '-q': { name: 'quiet', kind: 'bool' },
  '--debug': { name: 'debug', kind: 'bool' },
  '-d': { name: 'debug', kind: 'bool' },
  '--select': { name: 'select', kind: 'list' },
  '-s': { name: 'select', kind: 'list' },
  '--models': { name: 'select', kind: 'list' },
  '-m': { name: 'select', kind: 'list' },
  '--exclude': { name: 'exclude', kind: 'list' },
  '--selector': { name: 'selector', kind: 'value' },
  '--resource-type': { name: 'resourceType', kind: 'list' },
  '--resource-types': { name: 'resourceType', kind: 'list' },
  '--exclude-resource-type': { name: 'excludeResourceType', kind: 'list' },
  '--output': { name: 'output', kind: 'value' },
  '-o': { name: 'output', kind: 'value' },
  '--output-keys': { name: 'outputKeys', kind: 'list' },
  '--indirect-selection': { name: 'indirectSelection', kind: 'value' },
  '--full-refresh': { name: 'fullRefresh', kind: 'bool' },
  '-f': { name: 'fullRefresh', kind: 'bool' },
  '--fail-fast': { name: 'failFast', kind: 'bool' },
  '-x': { name: 'failFast', kind: 'bool' },
  '--warn-error': { name: 'warnError', kind: 'bool' },
  '--empty': { name: 'empty', kind: 'bool' },
  '--inline': { name: 'inline', kind: 'value' },
  '--limit': { name: 'limit', kind: 'value' },
  '--args': { name: 'args', kind: 'value' },
  '--store-failures': { name: 'storeFailures', kind: 'bool' },
  '--version': { name: 'version', kind: 'bool' },
  '--help': { name: 'help', kind: 'bool' },
  '-h': { name: 'help', kind: 'bool' },
  '--url': { name: 'url', kind: 'value' },
  '--streams': { name: 'streams', kind: 'list' },
  '--lock': { name: 'lock', kind: 'bool' },
  '--add-package': { name: 'addPackage', kind: 'value' },
  '--port': { name: 'port', kind: 'value' },
  '--seed': { name: 'seed', kind: 'value' },
  '--developers': { name: 'developers', kind: 'value' },
  '--days': { name: 'days', kind: 'value' },
  '--no-rate-limit': { name: 'noRateLimit', kind: 'bool' },
  '--rate-limit': { name: 'rateLimit', kind: 'value' },
  '--no-compile': { name: 'noCompile', kind: 'bool' },
  '--compile': { name: 'compile', kind: 'bool' },
  '--static': { name: 'static', kind: 'bool' },
  '--favor-state': { name: 'favorState', kind: 'bool' },
  '--no-partial-parse': { name: 'noPartialParse', kind: 'bool' },
  '--partial-parse': { name: 'partialParse', kind: 'bool' },
  '--print': { name: 'print', kind: 'bool' },
  '--no-print': { name: 'noPrint', kind: 'bool' },
  '--write-json': { name: 'writeJson', kind: 'bool' },
  '--no-write-json': { name: 'noWriteJson', kind: 'bool' },
};

export interface ParsedArgv {
  command: string | null;
  /** Positional arguments after the command (e.g. the macro of run-operation). */
  positionals: string[];
  flags: Record<string, string | boolean | string[]>;
}

export const COMMANDS = ['parse', 'compile', 'ls', 'list', 'debug', 'clean', 'run', 'seed', 'test', 'build', 'snapshot', 'show', 'run-operation', 'retry', 'deps', 'extract', 'demo', 'sim', 'docs', 'source', 'init'];

/** argv (without `node tsdbt`) → command, positionals and flags; unknown flags are a usage error naming them. */
export function parseArgv(argv: readonly string[]): ParsedArgv {
  const out: ParsedArgv = { command: null, positionals: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    let token = argv[i]!;
    let inlineValue: string | undefined;
    if (token.startsWith('--') && token.includes('=')) {
      inlineValue = token.slice(token.indexOf('=') + 1);
      token = token.slice(0, token.indexOf('='));
    }
    if (token.startsWith('-') && token !== '-') {
      const spec = FLAG_SPECS[token];
      if (!spec) {
        throw new TsdbtError('USAGE', `Unknown flag '${token}'`, { hint: `Run 'tsdbt --help' for the flags tsdbt accepts.` });
      }
      if (spec.kind === 'bool') {
        out.flags[spec.name] = true;
      } else if (spec.kind === 'value') {
        const v = inlineValue ?? argv[++i];
        if (v === undefined) throw new TsdbtError('USAGE', `Flag '${token}' needs a value`, { hint: `e.g. ${token} <value>` });
        out.flags[spec.name] = v;
      } else {
        const values = (out.flags[spec.name] as string[] | undefined) ?? [];
        if (inlineValue !== undefined) values.push(inlineValue);
        while (i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) values.push(argv[++i]!);
        if (values.length === 0) throw new TsdbtError('USAGE', `Flag '${token}' needs at least one value`, { hint: `e.g. ${token} my_model` });
        out.flags[spec.name] = values;
      }
      continue;
    }
    if (out.command === null) {
      if (!COMMANDS.includes(token)) {
        throw new TsdbtError('USAGE', `Unknown command '${token}'`, { hint: `Commands: ${COMMANDS.join(', ')}.` });
      }
      out.command = token;
    } else {
      out.positionals.push(token);
    }
  }
  return out;
}
