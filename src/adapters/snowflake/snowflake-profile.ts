/**
 * The Snowflake target of profiles.yml, its JSON schema (for the profile
 * validator), and its translation into snowflake-sdk connection options.
 *
 * Field names follow dbt-snowflake so existing profiles work unchanged.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TsdbtError } from '../../errors/tsdbt-error.js';

export interface SnowflakeProfile {
  type?: 'snowflake';
  account: string;
  user: string;
  password?: string;
  /** `snowflake` (default), `externalbrowser`, `oauth`, `username_password_mfa`, `jwt`, or an Okta URL. */
  authenticator?: string;
  /** OAuth access token, with `authenticator: oauth`. */
  token?: string;
  /** MFA passcode, with `authenticator: username_password_mfa`. */
  passcode?: string;
  private_key_path?: string;
  /** PEM text, or base64 of the DER bytes as dbt-snowflake accepts. */
  private_key?: string;
  private_key_passphrase?: string;
  role?: string;
  warehouse?: string;
  database: string;
  schema: string;
  threads?: number;
  client_session_keep_alive?: boolean;
  query_tag?: string;
  /** Extra connect attempts after the first fails (network error or timeout). Default 1. */
  connect_retries?: number;
  /** Seconds one connect attempt may take. Default 10. */
  connect_timeout?: number;
  /** Override the endpoint (tests point these at a local double). */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  retry_on_database_errors?: boolean;
  retry_all?: boolean;
  reuse_connections?: boolean;
  insecure_mode?: boolean;
}

const str = { type: 'string', minLength: 1 } as const;
/** Numbers may arrive as strings when rendered from env_var(); toDriverOptions coerces them. */
const int = (minimum: number) => ({ anyOf: [{ type: 'integer', minimum }, { type: 'string', pattern: '^[0-9]+$' }] }) as const;
const bool = { anyOf: [{ type: 'boolean' }, { enum: ['true', 'false', 'True', 'False'] }] } as const;

/** JSON schema (ajv, draft-07 compatible) for a `type: snowflake` output in profiles.yml. */
export const snowflakeProfileSchema = {
  type: 'object',
  required: ['account', 'user', 'database', 'schema'],
  additionalProperties: false,
  properties: {
    type: { const: 'snowflake' },
    account: str,
    user: str,
    password: { type: 'string' },
    authenticator: str,
    token: str,
    passcode: { type: 'string' },
    private_key_path: str,
    private_key: str,
    private_key_passphrase: { type: 'string' },
    role: str,
    warehouse: str,
    database: str,
    schema: str,
    threads: int(1),
    client_session_keep_alive: bool,
    query_tag: { type: 'string' },
    connect_retries: int(0),
    connect_timeout: { anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?$' }] },
    host: str,
    port: int(1),
    protocol: { enum: ['http', 'https'] },
    retry_on_database_errors: bool,
    retry_all: bool,
    reuse_connections: bool,
    insecure_mode: bool,
  },
  allOf: [
    // oauth needs its token; key-pair fields need each other's company only loosely
    { if: { properties: { authenticator: { enum: ['oauth', 'OAUTH'] } }, required: ['authenticator'] }, then: { required: ['token'] } },
  ],
} as const;

/** The profile fields `target` shows (dbt-snowflake's connection keys): no password, passcode, token, private key or passphrase. */
export const SNOWFLAKE_TARGET_KEYS: readonly string[] = [
  'account', 'user', 'database', 'warehouse', 'role', 'schema', 'authenticator', 'oauth_client_id', 'query_tag',
  'client_session_keep_alive', 'host', 'port', 'proxy_host', 'proxy_port', 'protocol', 'connect_retries', 'connect_timeout',
  'retry_on_database_errors', 'retry_all', 'insecure_mode', 'reuse_connections', 'private_key_path',
];

/** The subset of snowflake-sdk's ConnectionOptions tsdbt sets. */
export interface DriverConnectionOptions {
  account: string;
  username: string;
  password?: string;
  authenticator?: string;
  token?: string;
  passcode?: string;
  privateKey?: string;
  role?: string;
  warehouse?: string;
  database: string;
  schema: string;
  clientSessionKeepAlive?: boolean;
  host?: string;
  port?: number;
  protocol?: string;
  /** HTTP timeout in ms. */
  timeout: number;
  /** tsdbt retries logins itself (connect_retries), so the driver must not. */
  sfRetryMaxLoginRetries: number;
  application: string;
}

/** Seconds one connect attempt may take when the profile does not say. */
export const DEFAULT_CONNECT_TIMEOUT_S = 10;

export function connectTimeoutSeconds(profile: SnowflakeProfile): number {
  return profile.connect_timeout === undefined ? DEFAULT_CONNECT_TIMEOUT_S : Number(profile.connect_timeout);
}

export function connectRetries(profile: SnowflakeProfile): number {
  return profile.connect_retries === undefined ? 1 : Number(profile.connect_retries);
}

/** Translate a profile into driver options; reads and decrypts a private key where one is given. */
export function toDriverOptions(profile: SnowflakeProfile, profileFile?: string): DriverConnectionOptions {
  const timeoutS = connectTimeoutSeconds(profile);
  const options: DriverConnectionOptions = {
    account: profile.account,
    username: profile.user,
    database: profile.database,
    schema: profile.schema,
    timeout: Math.round(timeoutS * 1000),
    sfRetryMaxLoginRetries: 0,
    application: 'tsdbt',
  };
  if (profile.role) options.role = profile.role;
  if (profile.warehouse) options.warehouse = profile.warehouse;
  if (profile.client_session_keep_alive !== undefined) options.clientSessionKeepAlive = String(profile.client_session_keep_alive).toLowerCase() === 'true';
  if (profile.host) options.host = profile.host;
  if (profile.port) options.port = Number(profile.port);
  if (profile.protocol) options.protocol = profile.protocol;

  const auth = profile.authenticator?.toLowerCase();
  if (profile.private_key_path || profile.private_key) {
    options.authenticator = 'SNOWFLAKE_JWT';
    options.privateKey = loadPrivateKey(profile, profileFile);
  } else if (auth === 'oauth') {
    options.authenticator = 'OAUTH';
    options.token = profile.token;
  } else if (auth === 'externalbrowser') {
    options.authenticator = 'EXTERNALBROWSER';
  } else if (auth === 'username_password_mfa') {
    options.authenticator = 'USERNAME_PASSWORD_MFA';
    options.password = profile.password;
    if (profile.passcode) options.passcode = profile.passcode;
  } else if (auth === 'jwt' || auth === 'snowflake_jwt') {
    throw new TsdbtError('PROFILE_INVALID', `authenticator '${profile.authenticator}' needs a private key, but the profile has neither private_key_path nor private_key`, {
      file: profileFile,
      hint: 'Add private_key_path (a PEM file) or private_key to the Snowflake output.',
    });
  } else {
    if (auth !== undefined && auth !== 'snowflake') options.authenticator = profile.authenticator;
    options.password = profile.password;
  }
  return options;
}

/** Read the key (file or inline), decrypt it with the passphrase, and hand the driver unencrypted PKCS#8 PEM. */
function loadPrivateKey(profile: SnowflakeProfile, profileFile?: string): string {
  let keyText: string | Buffer;
  if (profile.private_key_path) {
    try {
      keyText = readFileSync(profile.private_key_path);
    } catch (e) {
      throw new TsdbtError('PROFILE_INVALID', `private_key_path '${profile.private_key_path}' cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
        file: profileFile,
        hint: 'Point private_key_path at a readable PEM file holding the Snowflake user\'s private key.',
      });
    }
  } else {
    const raw = profile.private_key!.trim();
    // dbt-snowflake accepts base64 of the DER bytes as well as PEM text
    keyText = raw.startsWith('-----BEGIN') ? raw : Buffer.from(raw, 'base64');
  }
  try {
    const key =
      typeof keyText === 'string' || keyText.subarray(0, 10).toString('latin1').startsWith('-----BEGIN')
        ? createPrivateKey({ key: keyText, format: 'pem', passphrase: profile.private_key_passphrase })
        : createPrivateKey({ key: keyText, format: 'der', type: 'pkcs8', passphrase: profile.private_key_passphrase });
    return key.export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch (e) {
    // never quote the key or passphrase: only say which field is wrong
    const where = profile.private_key_path ? `private_key_path '${profile.private_key_path}'` : 'private_key';
    throw new TsdbtError('PROFILE_INVALID', `${where} is not a usable private key (${(e as Error).message.split('\n')[0]})`, {
      file: profileFile,
      hint: profile.private_key_passphrase === undefined
        ? 'If the key is encrypted, add private_key_passphrase; otherwise check it is a PKCS#8 PEM key.'
        : 'Check private_key_passphrase and that the key is a PKCS#8 PEM key.',
    });
  }
}
