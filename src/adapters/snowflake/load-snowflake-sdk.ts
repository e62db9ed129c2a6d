/**
 * Lazy loading of snowflake-sdk.
 *
 * The driver takes ~400 ms to import, so nothing imports it statically: only
 * opening a Snowflake connection calls `loadSnowflakeSdk()`. Before the import
 * we turn off its cloud platform detection (which would otherwise probe
 * metadata hosts such as 169.254.169.254 from every laptop and CI box) and
 * the Node-version notice of its bundled AWS SDK (printed on import under
 * Node 20, it says nothing about tsdbt); after it we silence its logger (it
 * can log request details).
 */
import type * as SnowflakeSdk from 'snowflake-sdk';
import { TsdbtError } from '../../errors/tsdbt-error.js';

export type SnowflakeSdkModule = typeof SnowflakeSdk;

let loading: Promise<SnowflakeSdkModule> | undefined;

const silent = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

export function loadSnowflakeSdk(): Promise<SnowflakeSdkModule> {
  loading ??= (async () => {
    process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    let mod: SnowflakeSdkModule & { default?: SnowflakeSdkModule };
    try {
      mod = (await import('snowflake-sdk')) as SnowflakeSdkModule & { default?: SnowflakeSdkModule };
    } catch (e) {
      if ((e as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND' || !String((e as Error).message).includes("'snowflake-sdk'")) throw e;
      loading = undefined;
      throw new TsdbtError('DATABASE_OPEN', 'A Snowflake target needs the snowflake-sdk package, which is not installed', {
        hint: 'Install it next to tsdbt: npm install snowflake-sdk (tsdbt keeps it optional so DuckDB users do not download ~100 MB).',
      });
    }
    const sdk = mod.default ?? mod;
    sdk.configure({ logLevel: 'OFF', customLogger: silent });
    return sdk;
  })();
  return loading;
}
