import { TsdbtError } from '../errors/tsdbt-error.js';
import { nearestKey } from '../project/config-keys.js';

/**
 * The flags tsdbt accepts, as dbt spells them. `list` flags take every value
 * up to the next flag. `off`: the `--no-` half of one of dbt's boolean pairs,
 * setting the flag false (given, it wins over the flag's DBT_ variable, as
 * in dbt; the last of the pair given wins).
 */
export const FLAG_SPECS: Record<string, { name: string; kind: 'bool' | 'value' | 'list'; off?: true }> = {
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
  '--no-quiet': { name: 'quiet', kind: 'bool', off: true },
  '--debug': { name: 'debug', kind: 'bool' },
  '-d': { name: 'debug', kind: 'bool' },
  '--no-debug': { name: 'debug', kind: 'bool', off: true },
  '--select': { name: 'select', kind: 'list' },
  '-s': { name: 'select', kind: 'list' },
  '--models': { name: 'select', kind: 'list' },
  '-m': { name: 'select', kind: 'list' },
  '--exclude': { name: 'exclude', kind: 'list' },
  '--selector': { name: 'selector', kind: 'value' },
  '--resource-type': { name: 'resourceType', kind: 'list' },
  '--resource-types': { name: 'resourceType', kind: 'list' },
  '--exclude-resource-type': { name: 'excludeResourceType', kind: 'list' },
  '--exclude-resource-types': { name: 'excludeResourceType', kind: 'list' },
  '--empty-catalog': { name: 'emptyCatalog', kind: 'bool' },
  '--output': { name: 'output', kind: 'value' },
  '-o': { name: 'output', kind: 'value' },
  '--output-keys': { name: 'outputKeys', kind: 'list' },
  '--indirect-selection': { name: 'indirectSelection', kind: 'value' },
  '--full-refresh': { name: 'fullRefresh', kind: 'bool' },
  '-f': { name: 'fullRefresh', kind: 'bool' },
  '--fail-fast': { name: 'failFast', kind: 'bool' },
  '--no-fail-fast': { name: 'failFast', kind: 'bool', off: true },
  '-x': { name: 'failFast', kind: 'bool' },
  '--warn-error': { name: 'warnError', kind: 'bool' },
  '--warn-error-options': { name: 'warnErrorOptions', kind: 'value' },
  '--empty': { name: 'empty', kind: 'bool' },
  '--no-empty': { name: 'empty', kind: 'bool', off: true },
  '--inline': { name: 'inline', kind: 'value' },
  '--config-dir': { name: 'configDir', kind: 'bool' },
  '--connection': { name: 'connection', kind: 'bool' },
  '--limit': { name: 'limit', kind: 'value' },
  '--args': { name: 'args', kind: 'value' },
  '--store-failures': { name: 'storeFailures', kind: 'bool' },
  '--version': { name: 'version', kind: 'bool' },
  '--help': { name: 'help', kind: 'bool' },
  '-h': { name: 'help', kind: 'bool' },
  '--url': { name: 'url', kind: 'value' },
  '--streams': { name: 'streams', kind: 'list' },
  '--sim': { name: 'sim', kind: 'bool' },
  '--lock': { name: 'lock', kind: 'bool' },
  '--add-package': { name: 'addPackage', kind: 'value' },
  '--source': { name: 'source', kind: 'value' },
  '--upgrade': { name: 'upgrade', kind: 'bool' },
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
  '--no-favor-state': { name: 'noFavorState', kind: 'bool' },
  '--state': { name: 'state', kind: 'value' },
  '--event-time-start': { name: 'eventTimeStart', kind: 'value' },
  '--event-time-end': { name: 'eventTimeEnd', kind: 'value' },
  '--sample': { name: 'sample', kind: 'value' },
  '--show': { name: 'show', kind: 'bool' },
  '--inline-direct': { name: 'inlineDirect', kind: 'value' },
  '--defer-state': { name: 'deferState', kind: 'value' },
  '--defer': { name: 'defer', kind: 'bool' },
  '--no-defer': { name: 'noDefer', kind: 'bool' },
  '--no-partial-parse': { name: 'noPartialParse', kind: 'bool' },
  '--partial-parse': { name: 'partialParse', kind: 'bool' },
  '--print': { name: 'print', kind: 'bool' },
  '--no-print': { name: 'noPrint', kind: 'bool' },
  '--write-json': { name: 'writeJson', kind: 'bool' },
  '--profile': { name: 'profile', kind: 'value' },
  '--target-path': { name: 'targetPath', kind: 'value' },
  '--log-path': { name: 'logPath', kind: 'value' },
  '--log-file-max-bytes': { name: 'logFileMaxBytes', kind: 'value' },
  '--log-level': { name: 'logLevel', kind: 'value' },
  '--log-level-file': { name: 'logLevelFile', kind: 'value' },
  '--log-format-file': { name: 'logFormatFile', kind: 'value' },
  '--printer-width': { name: 'printerWidth', kind: 'value' },
  '--no-use-colors': { name: 'noColor', kind: 'bool' },
  '--use-colors-file': { name: 'useColorsFile', kind: 'bool' },
  '--no-use-colors-file': { name: 'noUseColorsFile', kind: 'bool' },
  '--send-anonymous-usage-stats': { name: 'sendAnonymousUsageStats', kind: 'bool' },
  '--no-send-anonymous-usage-stats': { name: 'noSendAnonymousUsageStats', kind: 'bool' },
  '--version-check': { name: 'versionCheck', kind: 'bool' },
  '--no-version-check': { name: 'noVersionCheck', kind: 'bool' },
  '--adapter': { name: 'adapter', kind: 'value' },
  '--path': { name: 'path', kind: 'value' },
  '--skip-profile-setup': { name: 'skipProfileSetup', kind: 'bool' },
  '--host': { name: 'host', kind: 'value' },
  '--concurrency': { name: 'concurrency', kind: 'value' },
  '--cache-ttl': { name: 'cacheTtl', kind: 'value' },
  '--timeout': { name: 'timeout', kind: 'value' },
  '--no-write-json': { name: 'noWriteJson', kind: 'bool' },
  '--metrics': { name: 'metrics', kind: 'value' },
  '--group-by': { name: 'groupBy', kind: 'value' },
  '--where': { name: 'where', kind: 'list' },
  '--order': { name: 'order', kind: 'value' },
  '--order-by': { name: 'order', kind: 'value' },
  '--start-time': { name: 'startTime', kind: 'value' },
  '--end-time': { name: 'endTime', kind: 'value' },
  '--saved-query': { name: 'savedQuery', kind: 'value' },
  // dbt's global flags tsdbt has nothing to do for (env-flags.ts UNACTED_FLAGS names those that warn): accepted, so a dbt command line runs.
  '--populate-cache': { name: 'populateCache', kind: 'bool' },
  '--no-populate-cache': { name: 'noPopulateCache', kind: 'bool' },
  '--cache-selected-only': { name: 'cacheSelectedOnly', kind: 'bool' },
  '--no-cache-selected-only': { name: 'noCacheSelectedOnly', kind: 'bool' },
  '--static-parser': { name: 'staticParser', kind: 'bool' },
  '--no-static-parser': { name: 'noStaticParser', kind: 'bool' },
  '--use-experimental-parser': { name: 'useExperimentalParser', kind: 'bool' },
  '--no-use-experimental-parser': { name: 'noUseExperimentalParser', kind: 'bool' },
  '--partial-parse-file-diff': { name: 'partialParseFileDiff', kind: 'bool' },
  '--no-partial-parse-file-diff': { name: 'noPartialParseFileDiff', kind: 'bool' },
  '--show-all-deprecations': { name: 'showAllDeprecations', kind: 'bool' },
  '--no-show-all-deprecations': { name: 'noShowAllDeprecations', kind: 'bool' },
  '--introspect': { name: 'introspect', kind: 'bool' },
  '--no-introspect': { name: 'noIntrospect', kind: 'bool' },
  '--record-timing-info': { name: 'recordTimingInfo', kind: 'value' },
  '--log-cache-events': { name: 'logCacheEvents', kind: 'bool' },
  '--no-log-cache-events': { name: 'noLogCacheEvents', kind: 'bool' },
  '--macro-debugging': { name: 'macroDebugging', kind: 'bool' },
  '--no-macro-debugging': { name: 'noMacroDebugging', kind: 'bool' },
  '--show-resource-report': { name: 'showResourceReport', kind: 'bool' },
  '--no-show-resource-report': { name: 'noShowResourceReport', kind: 'bool' },
  '--upload-to-artifacts-ingest-api': { name: 'uploadToArtifactsIngestApi', kind: 'bool' },
  '--no-upload-to-artifacts-ingest-api': { name: 'noUploadToArtifactsIngestApi', kind: 'bool' },
};

export interface ParsedArgv {
  command: string | null;
  /** Positional arguments after the command (e.g. the macro of run-operation). */
  positionals: string[];
  flags: Record<string, string | boolean | string[]>;
}

export const COMMANDS = ['parse', 'compile', 'ls', 'list', 'debug', 'clean', 'run', 'seed', 'test', 'build', 'snapshot', 'show', 'run-operation', 'retry', 'clone', 'deps', 'extract', 'demo', 'sim', 'docs', 'source', 'init', 'serve', 'sl'];

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
        const near = nearestKey(token, Object.keys(FLAG_SPECS));
        throw new TsdbtError('USAGE', `Unknown flag '${token}'`, { hint: near ? `Did you mean '${near}'? Run 'tsdbt ${out.command ?? ''}${out.command ? ' ' : ''}--help' for the flags.` : `Run 'tsdbt ${out.command ?? ''}${out.command ? ' ' : ''}--help' for the flags tsdbt accepts.` });
      }
      if (spec.kind === 'bool') {
        out.flags[spec.name] = !spec.off;
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
        const near = nearestKey(token, COMMANDS);
        throw new TsdbtError('USAGE', `Unknown command '${token}'`, { hint: `${near ? `Did you mean '${near}'? ` : ''}Commands: ${COMMANDS.join(', ')}.` });
      }
      out.command = token;
    } else {
      out.positionals.push(token);
    }
  }
  return out;
}
