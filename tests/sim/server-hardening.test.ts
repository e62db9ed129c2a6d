import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY, startSimulator, type RunningSim } from '../../src/sim/server.js';
import { rawGet } from '../support/raw-get.js';

describe('tsdbt sim: malformed requests', () => {
  let sim: RunningSim;
  let port: number;
  const auth = { Authorization: `Basic ${Buffer.from(`${DEFAULT_API_KEY}:`).toString('base64')}` };
  beforeAll(async () => {
    sim = await startSimulator({ rateLimit: false, days: 5 });
    port = Number(new URL(sim.url).port);
  });
  afterAll(() => sim.close());

  it('answers a malformed percent-escape with 400 (in any path, with or without auth) and stays up', async () => {
    expect(new URL(sim.url).hostname).toBe('127.0.0.1');
    expect((await rawGet(port, '/%E0%A4%A')).status).toBe(400);
    expect((await rawGet(port, '/repos/%E0%A4%A/x/pulls', auth)).status).toBe(400);
    expect((await rawGet(port, '/health')).body).toBe('{"status":"ok"}\n');
    expect((await rawGet(port, '/teams/members', auth)).status).toBe(200);
  });
});
