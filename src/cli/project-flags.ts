import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { profileSearchDirs } from '../project/profile-search.js';
import type { ParsedArgv } from './argv.js';
import { applyProjectFlagValues, PROJECT_FLAG_KEYS } from './env-flags.js';

/**
 * dbt_project.yml's `flags:` (dbt 1.8+; profiles.yml's old `config:`) are
 * defaults for the CLI's flags: which flags, and how a value sets one, is
 * env-flags.ts's (the flags its DBT_* variables set). ACTED_ON: a line
 * setting one of them, or warn_error_options, anywhere in the file
 * (indented, as under `flags:`).
 */
const ACTED_ON = new RegExp(`^[ \\t]+(?:${[...PROJECT_FLAG_KEYS, 'warn_error_options'].join('|')})[ \\t]*:`, 'm');

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
  const warnings = [
    ...(fromProfiles ? ['profiles.yml: config: is deprecated (dbt 1.8 moved it): move these flags to flags: in dbt_project.yml.'] : []),
    ...applyProjectFlagValues(parsed, flags, env, fromProject ? 'dbt_project.yml: flags' : 'profiles.yml: config'),
  ];
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
