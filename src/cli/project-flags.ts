import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { profileSearchDirs } from '../project/profile-search.js';
import type { ParsedArgv } from './argv.js';

/**
 * dbt_project.yml's `flags:` (dbt 1.8+; profiles.yml's old `config:`) as
 * defaults for the CLI's flags: a flag on the command line, or its DBT_*
 * variable (set to anything), wins. Each entry: the project flag, the CLI
 * flag it sets, the variable that overrides it, and for a `--x`/`--no-x`
 * pair, `negated` when false sets the flag (use_colors: false is
 * --no-color) and `pair` the other half.
 */
const PROJECT_FLAGS: { key: string; flag: string; env: string; kind: 'bool' | 'value'; negated?: boolean; pair?: string }[] = [
  { key: 'debug', flag: 'debug', env: 'DBT_DEBUG', kind: 'bool' },
  { key: 'fail_fast', flag: 'failFast', env: 'DBT_FAIL_FAST', kind: 'bool' },
  { key: 'warn_error', flag: 'warnError', env: 'DBT_WARN_ERROR', kind: 'bool' },
  { key: 'partial_parse', flag: 'noPartialParse', env: 'DBT_PARTIAL_PARSE', kind: 'bool', negated: true, pair: 'partialParse' },
  { key: 'use_colors', flag: 'noColor', env: 'DBT_USE_COLORS', kind: 'bool', negated: true, pair: 'useColors' },
  { key: 'use_colors_file', flag: 'useColorsFile', env: 'DBT_USE_COLORS_FILE', kind: 'bool', pair: 'noUseColorsFile' },
  { key: 'write_json', flag: 'noWriteJson', env: 'DBT_WRITE_JSON', kind: 'bool', negated: true, pair: 'writeJson' },
  { key: 'indirect_selection', flag: 'indirectSelection', env: 'DBT_INDIRECT_SELECTION', kind: 'value' },
  { key: 'log_format', flag: 'logFormat', env: 'DBT_LOG_FORMAT', kind: 'value' },
  { key: 'log_format_file', flag: 'logFormatFile', env: 'DBT_LOG_FORMAT_FILE', kind: 'value' },
  { key: 'log_level', flag: 'logLevel', env: 'DBT_LOG_LEVEL', kind: 'value' },
  { key: 'log_level_file', flag: 'logLevelFile', env: 'DBT_LOG_LEVEL_FILE', kind: 'value' },
  { key: 'printer_width', flag: 'printerWidth', env: 'DBT_PRINTER_WIDTH', kind: 'value' },
];

/** A line setting one of the flags above, or warn_error_options, anywhere in the file (indented, as under `flags:`). */
const ACTED_ON = new RegExp(`^[ \\t]+(?:${[...PROJECT_FLAGS.map((p) => p.key), 'warn_error_options'].join('|')})[ \\t]*:`, 'm');

/** What the project's `flags:` gave besides the CLI's flags. */
export interface ProjectFlags {
  /** `warn_error_options:` as written (read by cli/warn-error-options-read.ts), when given. */
  warnErrorOptions?: unknown;
  warnings: string[];
}

/**
 * Fills `parsed`'s unset flags from the project's dbt_project.yml `flags:`
 * (the project of --project-dir, else DBT_PROJECT_DIR, else `cwd`, as env
 * flags have been applied), or from profiles.yml's `config:` (the older
 * place, which dbt 1.10 still reads, with a deprecation warning; both
 * given is an error, as in dbt). A file missing or whose YAML does not
 * parse is left to the project's load to report: nothing is set here.
 * The YAML reader is loaded only when a file has such a block.
 */
export async function applyProjectFlags(parsed: ParsedArgv, cwd: string, env: Record<string, string | undefined>): Promise<ProjectFlags> {
  const f = parsed.flags;
  const projectDir = resolve(cwd, (f.projectDir as string | undefined) ?? '.');
  const project = readText(join(projectDir, 'dbt_project.yml'));
  const hasFlags = project !== undefined && /^flags[ \t]*:/m.test(project);
  const profiles = profileSearchDirs(projectDir, f.profilesDir as string | undefined, env).map((d) => readText(join(d, 'profiles.yml'))).find((t) => t !== undefined);
  const hasConfig = profiles !== undefined && /^config[ \t]*:/m.test(profiles);
  // (Most blocks set only flags tsdbt has nothing to do for, such as send_anonymous_usage_stats: no YAML read for those.)
  if (!hasConfig && !(hasFlags && ACTED_ON.test(project!))) return { warnings: [] };
  const { isRecord, parseYaml } = await import('../util/yaml.js');
  const member = (text: string | undefined, key: string, file: string): Record<string, unknown> | undefined => {
    try {
      const doc = text === undefined ? undefined : parseYaml(text, file).value;
      const value = isRecord(doc) ? doc[key] : undefined;
      return isRecord(value) && Object.keys(value).length > 0 ? value : undefined;
    } catch {
      return undefined;
    }
  };
  const fromProject = hasFlags ? member(project, 'flags', 'dbt_project.yml') : undefined;
  const fromProfiles = hasConfig ? member(profiles, 'config', 'profiles.yml') : undefined;
  if (fromProject && fromProfiles) {
    throw new TsdbtError('PROJECT_INVALID', "Flags are set both in dbt_project.yml (flags:) and in profiles.yml (config:)", {
      file: 'dbt_project.yml',
      hint: "Keep them under flags: in dbt_project.yml only; profiles.yml's config: is the older place (dbt 1.8 moved it).",
    });
  }
  const flags = fromProject ?? fromProfiles;
  if (!flags) return { warnings: [] };
  const warnings: string[] = fromProfiles ? ["profiles.yml: config: is deprecated (dbt 1.8 moved it): move these flags to flags: in dbt_project.yml."] : [];
  for (const spec of PROJECT_FLAGS) {
    const value = flags[spec.key];
    if (value === undefined || value === null) continue;
    if (f[spec.flag] !== undefined || (spec.pair && f[spec.pair] !== undefined) || env[spec.env] !== undefined) continue;
    if (spec.kind === 'value') {
      f[spec.flag] = String(value);
      continue;
    }
    const on = boolean(value);
    if (on === undefined) {
      warnings.push(`${fromProject ? 'dbt_project.yml: flags' : 'profiles.yml: config'}: ${spec.key} is '${String(value)}', not true or false; ignored.`);
      continue;
    }
    if (on !== Boolean(spec.negated)) f[spec.flag] = true;
  }
  const given = f.warnErrorOptions !== undefined || env.DBT_WARN_ERROR_OPTIONS !== undefined;
  return { warnings, ...(!given && flags.warn_error_options !== undefined && { warnErrorOptions: flags.warn_error_options }) };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function boolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const v = String(value).trim().toLowerCase();
  return ['true', '1', 'yes'].includes(v) ? true : ['false', '0', 'no'].includes(v) ? false : undefined;
}
