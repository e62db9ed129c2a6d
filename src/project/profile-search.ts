import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where dbt looks for profiles.yml, in order: --profiles-dir, else DBT_PROFILES_DIR, else the project's folder, then ~/.dbt. */
export function profileSearchDirs(projectDir: string, profilesDir: string | undefined, env: Record<string, string | undefined>): string[] {
  if (profilesDir) return [profilesDir];
  if (env.DBT_PROFILES_DIR) return [env.DBT_PROFILES_DIR];
  return [projectDir, join(env.HOME ?? homedir(), '.dbt')];
}
