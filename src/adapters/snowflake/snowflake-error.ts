/**
 * snowflake-sdk errors → TsdbtError('SNOWFLAKE_ERROR'), with Snowflake's code
 * and SQL state in the message and detail and every secret of the profile
 * scrubbed from the text.
 */
import { TsdbtError } from '../../errors/tsdbt-error.js';

/** The fields of a snowflake-sdk error tsdbt reads. */
export interface DriverError {
  message?: string;
  code?: string | number;
  sqlState?: string;
  data?: { queryId?: string } | null;
}

const HINTS: Record<string, string> = {
  '390100': 'Check user and password (or the authenticator) of the Snowflake output in profiles.yml.',
  '390144': 'Check the private key and that its public key is set on the Snowflake user (rsa_public_key).',
  '000606': 'Set `warehouse:` in the profile to a warehouse that exists and that the role can use.',
  '000608': 'Resume the warehouse (alter warehouse ... resume) or enable auto_resume on it.',
  '002003': 'Check the object name and that the role has access to it.',
  '000604': 'The statement was canceled.',
};

/** Replace every secret value found in `text` by `***`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 3) out = out.split(s).join('***');
  return out;
}

/** Wrap a driver error; `sql` is kept (redacted) in the detail, not in the message. */
export function toSnowflakeError(e: unknown, secrets: readonly (string | undefined)[], sql?: string): TsdbtError {
  if (e instanceof TsdbtError) return e;
  const err = (e ?? {}) as DriverError;
  const code = err.code === undefined || err.code === null ? undefined : String(err.code);
  const sqlState = err.sqlState;
  const raw = redact(String(err.message ?? e), secrets).trim();
  const prefix = code ? `Snowflake error ${code}${sqlState ? ` (${sqlState})` : ''}: ` : 'Snowflake error: ';
  const queryId = err.data?.queryId;
  return new TsdbtError('SNOWFLAKE_ERROR', prefix + raw, {
    hint: code ? HINTS[code] : undefined,
    detail: {
      code,
      sqlState,
      queryId,
      sql: sql === undefined ? undefined : redact(sql, secrets),
    },
  });
}
