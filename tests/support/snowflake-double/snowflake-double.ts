/**
 * A Snowflake test double: a node:http server on 127.0.0.1 that speaks the
 * REST protocol snowflake-sdk uses (login-request, query-request, result
 * chunks, abort-request, heartbeat, session delete) and runs each statement on
 * an in-memory DuckDB after translating the Snowflake-only pieces.
 *
 * Point the driver at it with `{ accessUrl: double.url }` or
 * `{ protocol: 'http', host: '127.0.0.1', port: double.port }`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeBinds, envelope, ok, readBody, send, sleep, verifyJwt } from './double-http.js';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { DuckDBInstance } from '@duckdb/node-api';
import { openDuckDBInstance } from '../../../src/adapters/duckdb/duckdb-connection.js';
import { DoubleSession, SnowflakeStatementError } from './double-session.js';
import type { StageRegistry } from './double-session.js';
import { parseCommand } from './snowflake-commands.js';
import { describeColumns, encodeRows } from './result-encoding.js';
import { BAD_CREDENTIALS, CANCELED, JWT_INVALID, NO_WAREHOUSE, statementCount, warehouseSuspended } from './snowflake-failures.js';
import type { SnowflakeFailure } from './snowflake-failures.js';
import { splitStatements } from './sql-tokens.js';

export interface SnowflakeDoubleOptions {
  /** user → password accepted by login-request. Default `{ TSDBT_USER: 'secret-pw' }`. */
  users?: Record<string, string>;
  /** user → public key (PEM) that key-pair (SNOWFLAKE_JWT) logins must be signed with. */
  publicKeys?: Record<string, string>;
  /** user → OAuth token accepted with authenticator OAUTH. */
  oauthTokens?: Record<string, string>;
  /** Warehouses that exist and their state. Default `{ COMPUTE_WH: 'started' }`. */
  warehouses?: Record<string, 'started' | 'suspended'>;
  /** Databases created at start, each with a PUBLIC schema (plus `schemas`). Default `['ANALYTICS']`. */
  databases?: string[];
  /** Extra schemas to create, as `DB.SCHEMA`. */
  schemas?: string[];
  /** Seconds between the driver's keep-alive heartbeats when the client asks for keep-alive. Default 3600. */
  heartbeatFrequencySeconds?: number;
  /** Answer "query in progress" (333333) after this many ms and let the driver poll for the result. */
  inProgressAfterMs?: number;
  /** Rows sent inline; the rest goes out as downloadable chunks of this many rows. Default 1000. */
  rowsPerChunk?: number;
}

/** Injected failures; each applies to statements whose SQL matches `match` (or every login). */
export type DoubleFailure =
  | { kind: 'statement'; match: RegExp; failure: SnowflakeFailure }
  | { kind: 'delay'; match: RegExp; ms: number }
  | { kind: 'login_delay'; ms: number };

export interface SnowflakeDouble {
  port: number;
  url: string;
  /** Every SQL text received, in order. */
  queries: string[];
  /** The session's query tag at the time each query ran (parallel to `queries`). */
  queryTags: string[];
  /** `METHOD path` of every request, for protocol assertions. */
  requests: string[];
  /** Number of login requests received (including rejected and timed-out ones). */
  loginCount: () => number;
  /** Sessions currently open. */
  openSessions: () => number;
  setFailure(failure: DoubleFailure | undefined): void;
  close(): Promise<void>;
}

const STATEMENT_PARAMETERS = [
  { name: 'TIMEZONE', value: 'UTC' },
  { name: 'TIMESTAMP_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM' },
  { name: 'TIMESTAMP_NTZ_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3' },
  { name: 'TIMESTAMP_LTZ_OUTPUT_FORMAT', value: '' },
  { name: 'TIMESTAMP_TZ_OUTPUT_FORMAT', value: '' },
  { name: 'DATE_OUTPUT_FORMAT', value: 'YYYY-MM-DD' },
  { name: 'TIME_OUTPUT_FORMAT', value: 'HH24:MI:SS' },
  { name: 'BINARY_OUTPUT_FORMAT', value: 'HEX' },
];

export async function startSnowflakeDouble(options: SnowflakeDoubleOptions = {}): Promise<SnowflakeDouble> {
  const users = options.users ?? { TSDBT_USER: 'secret-pw' };
  const warehouses = options.warehouses ?? { COMPUTE_WH: 'started' };
  const rowsPerChunk = options.rowsPerChunk ?? 1000;
  const instance: DuckDBInstance = await openDuckDBInstance(':memory:');
  {
    const setup = await instance.connect();
    for (const db of options.databases ?? ['ANALYTICS']) {
      await setup.run(`attach ':memory:' as "${db}"`);
      await setup.run(`create schema "${db}"."PUBLIC"`);
    }
    for (const s of options.schemas ?? []) {
      const [db, schema] = s.split('.');
      await setup.run(`create schema "${db}"."${schema}"`);
    }
    setup.closeSync();
  }

  const stages: StageRegistry = { root: mkdtempSync(join(tmpdir(), 'sf-double-stages-')), dirs: new Map(), grants: new Map(), formats: new Map() };
  const sessions = new Map<string, DoubleSession>();
  const chunks = new Map<string, { body: Buffer; key: string }>();
  const running = new Map<string, { cancel: () => void }>();
  const pending = new Map<string, Promise<object>>();
  const queries: string[] = [];
  const queryTags: string[] = [];
  const requests: string[] = [];
  let failure: DoubleFailure | undefined;
  let logins = 0;
  let sessionIds = 1000;
  let port = 0;
  let closed = false;

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      // an unexpected bug in the double: make it visible to the test
      send(res, 500, { success: false, message: e instanceof Error ? e.stack : String(e) });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}`);
    const body = await readBody(req);

    if (url.pathname === '/session/v1/login-request') return login(url, body, res);
    if (url.pathname.startsWith('/chunks/')) {
      const chunk = chunks.get(url.pathname);
      if (!chunk) return send(res, 404, 'no such chunk', 'text/plain');
      if (req.headers['x-amz-server-side-encryption-customer-key'] !== chunk.key) return send(res, 403, 'bad key', 'text/plain');
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Encoding': 'gzip' });
      res.end(chunk.body);
      return;
    }
    const token = /Snowflake Token="([^"]*)"/.exec(String(req.headers.authorization ?? ''))?.[1];
    const session = token ? sessions.get(token) : undefined;
    if (!session) return send(res, 200, { success: false, code: '390104', message: 'Authentication token is invalid.', data: null });

    if (url.pathname === '/session' && url.searchParams.get('delete') === 'true') {
      sessions.delete(token!);
      await session.close();
      return ok(res, null);
    }
    if (url.pathname === '/session/heartbeat' || url.pathname === '/telemetry/send') return ok(res, {});
    if (url.pathname === '/session/token-request') return ok(res, { sessionToken: token, validityInSecondsST: 3600, masterToken: token, validityInSecondsMT: 14400 });
    if (url.pathname === '/queries/v1/abort-request' || /^\/queries\/[^/]+\/abort-request$/.test(url.pathname)) {
      const id = (body as { requestId?: string } | undefined)?.requestId ?? url.pathname.split('/')[2]!;
      running.get(id)?.cancel();
      return ok(res, null);
    }
    const resultOf = /^\/queries\/([^/]+)\/result$/.exec(url.pathname);
    if (resultOf) {
      const work = pending.get(resultOf[1]!);
      if (!work) return send(res, 200, { success: false, code: '000709', message: `Statement ${resultOf[1]} not found`, data: { sqlState: '02000' } });
      return replyWhenDone(res, resultOf[1]!, work);
    }
    if (url.pathname === '/queries/v1/query-request') return query(session, url.searchParams.get('requestId') ?? randomUUID(), body, res);
    send(res, 404, { success: false, code: '000000', message: `the double does not serve ${req.method} ${url.pathname}`, data: null });
  }

  /** The failure to answer a login with, or undefined when the credentials are right. */
  function checkCredentials(authenticator: string, account: string, user: string, data: Record<string, unknown>): SnowflakeFailure | undefined {
    const find = (map: Record<string, string> | undefined) => Object.entries(map ?? {}).find(([u]) => u.toUpperCase() === user)?.[1];
    if (authenticator === 'SNOWFLAKE_JWT') {
      const key = find(options.publicKeys);
      return key && verifyJwt(String(data.TOKEN ?? ''), key, `${account}.${user}`) ? undefined : JWT_INVALID;
    }
    const expected = authenticator === 'OAUTH' ? find(options.oauthTokens) : find(users);
    const given = authenticator === 'OAUTH' ? data.TOKEN : data.PASSWORD;
    return expected !== undefined && given === expected ? undefined : BAD_CREDENTIALS;
  }

  async function login(url: URL, body: unknown, res: ServerResponse): Promise<void> {
    logins++;
    if (failure?.kind === 'login_delay') await sleep(failure.ms);
    if (closed) return;
    const data = ((body as { data?: Record<string, unknown> })?.data ?? {}) as Record<string, unknown>;
    const user = String(data.LOGIN_NAME ?? '').toUpperCase();
    const authenticator = String(data.AUTHENTICATOR ?? 'SNOWFLAKE').toUpperCase();
    const account = String(data.ACCOUNT_NAME ?? '').toUpperCase();
    const rejected = checkCredentials(authenticator, account, user, data);
    if (rejected) {
      return send(res, 200, {
        success: false,
        code: rejected.code,
        message: rejected.message,
        data: { sqlState: rejected.sqlState, nextAction: 'RETRY_LOGIN', loginName: data.LOGIN_NAME, errorCode: rejected.code },
      });
    }
    const param = (name: string) => url.searchParams.get(name) ?? undefined;
    const upper = (v: string | undefined) => (v === undefined ? null : v.startsWith('"') ? v.slice(1, -1) : v.toUpperCase());
    const warehouse = upper(param('warehouse'));
    const token = `session-${randomUUID()}`;
    const sessionParams = (data.SESSION_PARAMETERS ?? {}) as Record<string, unknown>;
    const session = await DoubleSession.open(
      instance,
      {
        user,
        account,
        database: upper(param('databaseName')),
        schema: upper(param('schemaName')) ?? 'PUBLIC',
        // Snowflake accepts a login naming a warehouse that does not exist and leaves the session without one
        warehouse: warehouse !== null && warehouse in warehouses ? warehouse : null,
        role: upper(param('roleName')) ?? 'PUBLIC',
        queryTag: typeof sessionParams.QUERY_TAG === 'string' ? sessionParams.QUERY_TAG : '',
        parameters: {},
      },
      warehouses,
      stages,
    );
    sessions.set(token, session);
    const s = session.state;
    ok(res, {
      token,
      masterToken: `master-${token}`,
      validityInSeconds: 3600,
      masterValidityInSeconds: 14400,
      displayUserName: user,
      serverVersion: '9.0.0',
      firstLogin: false,
      remMeToken: null,
      remMeValidityInSeconds: 0,
      healthCheckInterval: 45,
      newClientForUpgrade: null,
      sessionId: sessionIds++,
      // as Snowflake does, echo the session parameters the client asked for (the driver starts heartbeats from these)
      parameters: [
        ...STATEMENT_PARAMETERS,
        { name: 'CLIENT_SESSION_KEEP_ALIVE', value: sessionParams.CLIENT_SESSION_KEEP_ALIVE === true },
        { name: 'CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY', value: options.heartbeatFrequencySeconds ?? 3600 },
      ],
      sessionInfo: { databaseName: s.database, schemaName: s.schema, warehouseName: s.warehouse, roleName: s.role },
      idToken: null,
      idTokenValidityInSeconds: 0,
      responseData: null,
      mfaToken: null,
      mfaTokenValidityInSeconds: 0,
    });
  }

  /** Start a statement and answer: with its result, or (past inProgressAfterMs) with "in progress" for the driver to poll. */
  async function query(session: DoubleSession, requestId: string, body: unknown, res: ServerResponse): Promise<void> {
    const queryId = randomUUID();
    const work = execute(session, requestId, queryId, body);
    pending.set(queryId, work);
    await replyWhenDone(res, queryId, work);
  }

  async function replyWhenDone(res: ServerResponse, queryId: string, work: Promise<object>): Promise<void> {
    const wait = options.inProgressAfterMs;
    const result = wait === undefined ? await work : await Promise.race([work, sleep(wait).then(() => undefined)]);
    if (result === undefined) {
      return send(res, 200, { success: true, code: '333333', message: 'Query execution in progress', data: { queryId, getResultUrl: `/queries/${queryId}/result` } });
    }
    pending.delete(queryId);
    send(res, 200, result);
  }

  /** Run one query-request; resolves to the JSON body Snowflake would send (success or failure). */
  async function execute(session: DoubleSession, requestId: string, queryId: string, body: unknown): Promise<object> {
    const req = (body ?? {}) as { sqlText?: string; bindings?: Record<string, { type: string; value: unknown }>; parameters?: Record<string, unknown> };
    const sent = req.sqlText ?? '';
    queries.push(sent);
    // Snowflake ignores comments; the double's statement forms are matched without dbt's query comment around them.
    const sql = withoutQueryComment(sent);
    queryTags.push(session.state.queryTag);
    let canceled = false;
    let wake: (() => void) | undefined;
    const handle = {
      cancel: () => {
        canceled = true;
        wake?.();
        void session.db.cancel();
      },
    };
    // the driver aborts by request id before it knows the query id, by query id after an in-progress answer
    running.set(requestId, handle);
    running.set(queryId, handle);
    try {
      const active = failure;
      if (active?.kind === 'delay' && active.match.test(sql)) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, active.ms);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      if (canceled) throw new SnowflakeStatementError(CANCELED);
      if (active?.kind === 'statement' && active.match.test(sql)) throw new SnowflakeStatementError(active.failure);
      const statements = splitStatements(sql);
      if (statements.length > 1 && Number(req.parameters?.MULTI_STATEMENT_COUNT ?? 1) !== 0) {
        throw new SnowflakeStatementError(statementCount(statements.length));
      }
      if (session.needsWarehouse(sql)) {
        const wh = session.state.warehouse;
        if (wh === null) throw new SnowflakeStatementError(NO_WAREHOUSE);
        if (warehouses[wh] === 'suspended') throw new SnowflakeStatementError(warehouseSuspended(wh));
      }
      const command = parseCommand(sql);
      if (command?.kind === 'put') {
        // LOCAL_FS is the driver's own test stage type: it copies the file into stageInfo.location itself
        return envelope({
          command: 'UPLOAD',
          src_locations: [command.source],
          autoCompress: false,
          sourceCompression: 'auto_detect',
          parallel: 1,
          overwrite: true,
          presignedUrls: [],
          encryptionMaterial: null,
          stageInfo: { locationType: 'LOCAL_FS', location: session.stageDir(command.stage, command.path) + '/', path: '', region: null, creds: {} },
          queryId,
        });
      }
      const outcome = await session.run(statements[0] ?? sql, decodeBinds(req.bindings));
      if (canceled) throw new SnowflakeStatementError(CANCELED);
      const { rowtype, encoders } = describeColumns(outcome.result.columns);
      const rowset = encodeRows(outcome.result.rows, encoders, outcome.result.micros);
      const inline = rowset.slice(0, rowsPerChunk);
      const chunkList: { url: string; rowCount: number; uncompressedSize: number; compressedSize: number }[] = [];
      const qrmk = randomUUID();
      for (let start = rowsPerChunk, n = 0; start < rowset.length; start += rowsPerChunk, n++) {
        const part = rowset.slice(start, start + rowsPerChunk);
        const text = Buffer.from(JSON.stringify(part).slice(1, -1));
        const path = `/chunks/${queryId}/${n}`;
        const gz = gzipSync(text);
        chunks.set(path, { body: gz, key: qrmk });
        chunkList.push({ url: `http://127.0.0.1:${port}${path}`, rowCount: part.length, uncompressedSize: text.length, compressedSize: gz.length });
      }
      const s = session.state;
      return envelope({
        parameters: STATEMENT_PARAMETERS,
        rowtype,
        rowset: inline,
        total: rowset.length,
        returned: rowset.length,
        queryId,
        databaseProvider: null,
        finalDatabaseName: s.database,
        finalSchemaName: s.schema,
        finalWarehouseName: s.warehouse,
        finalRoleName: s.role,
        numberOfBinds: Object.keys(req.bindings ?? {}).length,
        arrayBindSupported: false,
        statementTypeId: outcome.statementTypeId,
        version: 1,
        sendResultTime: Date.now(),
        queryResultFormat: 'json',
        ...(chunkList.length > 0 ? { chunks: chunkList, qrmk } : {}),
      });
    } catch (e) {
      if (!(e instanceof SnowflakeStatementError)) throw e;
      const f = canceled ? CANCELED : e.failure;
      return {
        success: false,
        code: f.code,
        message: f.message,
        data: { internalError: false, errorCode: f.code, age: 0, sqlState: f.sqlState, queryId, line: -1, pos: -1, type: 'COMPILATION' },
      };
    } finally {
      running.delete(requestId);
      running.delete(queryId);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    queries,
    queryTags,
    requests,
    loginCount: () => logins,
    openSessions: () => sessions.size,
    setFailure(f) {
      failure = f;
    },
    async close() {
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sessions.values()) await s.close();
      sessions.clear();
      instance.closeSync();
      rmSync(stages.root, { recursive: true, force: true });
    },
  };
}

/** The statement without a leading or trailing block comment (dbt's query comment, before or after it). */
function withoutQueryComment(sql: string): string {
  return sql.replace(/^\s*\/\*[\s\S]*?\*\/\s*/, '').replace(/\s*\/\*(?:(?!\*\/)[\s\S])*\*\/\s*(;?)\s*$/, '$1');
}
