import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openSnowflakeConnection } from '../../src/adapters/snowflake/snowflake-connection.js';
import { redact } from '../../src/adapters/snowflake/snowflake-error.js';
import { snowflakeProfileSchema, toDriverOptions } from '../../src/adapters/snowflake/snowflake-profile.js';
import type { SnowflakeProfile } from '../../src/adapters/snowflake/snowflake-profile.js';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { startSnowflakeDouble } from '../support/snowflake-double/snowflake-double.js';
import type { SnowflakeDouble } from '../support/snowflake-double/snowflake-double.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PASSPHRASE = 'key-pass-phrase-42';
const encryptedPem = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }).toString();
const plainDerBase64 = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

let dir: string;
let double: SnowflakeDouble;

const base = (extra: Partial<SnowflakeProfile> = {}): SnowflakeProfile => ({
  account: 'acme',
  user: 'tsdbt_user',
  database: 'analytics',
  schema: 'public',
  warehouse: 'compute_wh',
  protocol: 'http',
  host: '127.0.0.1',
  port: double.port,
  connect_retries: 0,
  ...extra,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsdbt-sf-'));
  writeFileSync(join(dir, 'rsa_key.p8'), encryptedPem);
  double = await startSnowflakeDouble({ publicKeys: { TSDBT_USER: publicPem }, oauthTokens: { TSDBT_USER: 'oauth-access-token-xyz' } });
});

afterAll(async () => {
  await double?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('snowflakeProfileSchema', () => {
  const validate = new Ajv({ allErrors: true }).compile(snowflakeProfileSchema);

  test('accepts a dbt-snowflake profile', () => {
    expect(validate({ type: 'snowflake', account: 'a', user: 'u', password: 'p', role: 'r', warehouse: 'w', database: 'd', schema: 's', threads: 4, connect_retries: 2, connect_timeout: 10, query_tag: 't', client_session_keep_alive: false })).toBe(true);
  });

  test('accepts numbers and booleans rendered as strings (env_var)', () => {
    expect(validate({ account: 'a', user: 'u', database: 'd', schema: 's', port: '8080', connect_retries: '3', connect_timeout: '2.5', client_session_keep_alive: 'true' })).toBe(true);
    expect(validate({ account: 'a', user: 'u', database: 'd', schema: 's', port: 'eighty' })).toBe(false);
    expect(toDriverOptions({ account: 'a', user: 'u', database: 'd', schema: 's', port: '8080', connect_timeout: '2.5', client_session_keep_alive: 'true' } as never)).toMatchObject({
      port: 8080,
      timeout: 2500,
      clientSessionKeepAlive: true,
    });
  });

  test('rejects a missing schema, an unknown key, and oauth without a token', () => {
    expect(validate({ account: 'a', user: 'u', database: 'd' })).toBe(false);
    expect(validate.errors?.map((e) => e.message)).toContain("must have required property 'schema'");
    expect(validate({ account: 'a', user: 'u', database: 'd', schema: 's', pasword: 'typo' })).toBe(false);
    expect(validate.errors?.map((e) => [e.message, e.params])).toContainEqual(['must NOT have additional properties', { additionalProperty: 'pasword' }]);
    expect(validate({ account: 'a', user: 'u', database: 'd', schema: 's', authenticator: 'oauth' })).toBe(false);
    expect(validate.errors?.map((e) => e.message)).toContain("must have required property 'token'");
  });
});

describe('toDriverOptions', () => {
  test('password profile with host override', () => {
    expect(toDriverOptions({ account: 'acme', user: 'u', password: 'p', database: 'd', schema: 's', role: 'r', warehouse: 'w', host: 'h', port: 8080, protocol: 'http', connect_timeout: 3, client_session_keep_alive: true })).toEqual({
      account: 'acme',
      username: 'u',
      password: 'p',
      database: 'd',
      schema: 's',
      role: 'r',
      warehouse: 'w',
      host: 'h',
      port: 8080,
      protocol: 'http',
      clientSessionKeepAlive: true,
      timeout: 3000,
      sfRetryMaxLoginRetries: 0,
      application: 'tsdbt',
    });
  });

  test('authenticators', () => {
    const p = { account: 'a', user: 'u', database: 'd', schema: 's' };
    expect(toDriverOptions({ ...p, authenticator: 'oauth', token: 'tok' })).toMatchObject({ authenticator: 'OAUTH', token: 'tok' });
    expect(toDriverOptions({ ...p, authenticator: 'externalbrowser' })).toMatchObject({ authenticator: 'EXTERNALBROWSER' });
    expect(toDriverOptions({ ...p, authenticator: 'username_password_mfa', password: 'pw', passcode: '123456' })).toMatchObject({
      authenticator: 'USERNAME_PASSWORD_MFA',
      password: 'pw',
      passcode: '123456',
    });
  });

  test('an unreadable private_key_path is PROFILE_INVALID naming the profile file and the path', () => {
    const err = (() => {
      try {
        toDriverOptions(base({ private_key_path: '/nope/key.p8' }), '/home/me/.dbt/profiles.yml');
      } catch (e) {
        return e as TsdbtError;
      }
    })()!;
    expect(err).toBeInstanceOf(TsdbtError);
    expect(err.code).toBe('PROFILE_INVALID');
    expect(err.file).toBe('/home/me/.dbt/profiles.yml');
    expect(err.message).toBe("private_key_path '/nope/key.p8' cannot be read: ENOENT");
  });

  test('a wrong passphrase says so without quoting the passphrase or the key', () => {
    let err: TsdbtError | undefined;
    try {
      toDriverOptions(base({ private_key: encryptedPem, private_key_passphrase: 'wrong-phrase-99' }));
    } catch (e) {
      err = e as TsdbtError;
    }
    expect(err?.code).toBe('PROFILE_INVALID');
    expect(err?.message).toMatch(/^private_key is not a usable private key \(/);
    expect(err?.hint).toMatch(/private_key_passphrase/);
    const text = JSON.stringify([err?.message, err?.hint, err?.detail]);
    expect(text).not.toContain('wrong-phrase-99');
    expect(text).not.toContain(encryptedPem.split('\n')[1]!);
  });

  test('redact hides every secret occurrence', () => {
    expect(redact('pw=hunter22 again hunter22 tok=abc', ['hunter22', undefined, 'abc', 'x'])).toBe('pw=*** again *** tok=***');
  });
});

describe('logins against the double', () => {
  test('key pair from an encrypted PEM file (private_key_path + passphrase)', async () => {
    const conn = await openSnowflakeConnection(base({ private_key_path: join(dir, 'rsa_key.p8'), private_key_passphrase: PASSPHRASE }));
    expect((await conn.execute('select current_user() as u')).rows).toEqual([['TSDBT_USER']]);
    await conn.close();
  });

  test('key pair from base64 DER in private_key', async () => {
    const conn = await openSnowflakeConnection(base({ private_key: plainDerBase64 }));
    expect((await conn.execute('select 1 as x')).rows).toEqual([[1]]);
    await conn.close();
  });

  test('a key the server does not know is 390144', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const err = await openSnowflakeConnection(base({ private_key: other })).catch((e) => e);
    expect(err.message).toBe('Snowflake error 390144 (08004): JWT token is invalid.');
    expect(err.message + JSON.stringify(err.detail)).not.toContain(other.split('\n')[1]!);
  });

  test('oauth token login; a wrong token is 390100 without the token in the error', async () => {
    const conn = await openSnowflakeConnection(base({ authenticator: 'oauth', token: 'oauth-access-token-xyz' }));
    expect((await conn.execute('select 1 as x')).rows).toEqual([[1]]);
    await conn.close();
    const err = await openSnowflakeConnection(base({ authenticator: 'oauth', token: 'stolen-token-abc' })).catch((e) => e);
    expect(err.detail.code).toBe('390100');
    expect(JSON.stringify([err.message, err.detail, err.hint, err.stack])).not.toContain('stolen-token-abc');
  });
});
