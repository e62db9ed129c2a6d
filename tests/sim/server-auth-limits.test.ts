import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSim } from '../../src/sim/index.js';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { TokenBucket } from '../../src/sim/token-bucket.js';
import { simGet } from './sim-client.js';

const NOW = new Date('2026-06-01T12:00:00Z');
let sim: RunningSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('simulator auth and errors', () => {
  it('answers 401 with WWW-Authenticate when no credentials are sent', async () => {
    sim = await startSimulator({ now: NOW, rateLimit: false });
    const r = await simGet(sim, '/analytics/ai-code/commits', false);
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Basic');
    expect(r.text).toBe('{"error":"Unauthorized"}\n');
  });

  it('answers 401 for a wrong key, accepts the right key with any password', async () => {
    sim = await startSimulator({ now: NOW, rateLimit: false, apiKey: 'k-123' });
    const wrong = await simGet(sim, '/teams/members', 'cursor-sim-dev-key');
    expect(wrong.status).toBe(401);
    expect(wrong.json()).toEqual({ error: 'Unauthorized' });
    expect(wrong.headers.get('www-authenticate')).toBeNull();
    const ok = await fetch(`${sim.url}/teams/members`, {
      headers: { authorization: `Basic ${Buffer.from('k-123:whatever').toString('base64')}` },
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { teamMembers: unknown[] }).teamMembers).toHaveLength(2);
  });

  it('serves /health without auth', async () => {
    sim = await startSimulator({ now: NOW, rateLimit: false });
    const r = await simGet(sim, '/health', false);
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ status: 'ok' });
  });

  it('answers unknown paths with plain-text 404 and uses each family\'s error shape', async () => {
    sim = await startSimulator({ now: NOW, rateLimit: false });
    const r = await simGet(sim, '/nope');
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(r.text).toBe('404 page not found\n');
    const gh = await simGet(sim, `/repos/${sim.data.repos[0]!.full_name}/pulls/999999`);
    expect(gh.status).toBe(404);
    expect(gh.json()).toEqual({ message: 'pull request not found' });
    const badNumber = await simGet(sim, `/repos/${sim.data.repos[0]!.full_name}/pulls/abc/reviews`);
    expect(badNumber.status).toBe(400);
    expect(badNumber.json()).toEqual({ message: 'invalid pull request number' });
    const an = await simGet(sim, '/analytics/github/prs?page=0');
    expect(an.status).toBe(400);
    expect(an.json()).toEqual({ error: 'invalid page parameter' });
  });

  it('rejects bad options with SIM_CONFIG', async () => {
    await expect(startSimulator({ developers: 0 })).rejects.toThrow(TsdbtError);
    await expect(startSimulator({ developers: 0 })).rejects.toMatchObject({
      code: 'SIM_CONFIG',
      message: 'Simulator option developers = 0 is not an integer from 1 to 1000.',
    });
    await expect(startSimulator({ rateLimit: { capacity: 0, perMinute: 10 } })).rejects.toMatchObject({ code: 'SIM_CONFIG' });
  });
});

describe('simulator rate limit', () => {
  it('answers 429 with Retry-After once the global bucket is empty, /health and 401s included', async () => {
    sim = await startSimulator({ now: NOW, rateLimit: { capacity: 5, perMinute: 6 } });
    const statuses: number[] = [];
    statuses.push((await simGet(sim, '/health', false)).status);
    statuses.push((await simGet(sim, '/teams/members', false)).status);
    for (let i = 0; i < 3; i++) statuses.push((await simGet(sim, '/teams/members')).status);
    expect(statuses).toEqual([200, 401, 200, 200, 200]);
    const limited = await simGet(sim, '/health', false);
    expect(limited.status).toBe(429);
    expect(limited.text).toBe('{"error":"Rate limit exceeded"}\n');
    // 6 per minute: one token every 10 s, some of which has already passed.
    const retry = Number(limited.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(8);
    expect(retry).toBeLessThanOrEqual(10);
    expect((await simGet(sim, '/teams/members')).status).toBe(429);
    expect(sim.requestCount).toBe(7);
  });

  it('fails a client that ignores 429 after about 100 requests by default', async () => {
    sim = await startSimulator({ now: NOW });
    const statuses: number[] = [];
    for (let i = 0; i < 105; i++) statuses.push((await simGet(sim, '/health')).status);
    const first429 = statuses.indexOf(429);
    expect(first429).toBeGreaterThanOrEqual(100);
    expect(first429).toBeLessThanOrEqual(102);
  });

  it('refills over time and can be turned off', async () => {
    sim = await startSimulator({ now: NOW, rateLimit: { capacity: 1, perMinute: 60 } });
    expect((await simGet(sim, '/health')).status).toBe(200);
    expect((await simGet(sim, '/health')).status).toBe(429);
    await new Promise((r) => setTimeout(r, 1050));
    expect((await simGet(sim, '/health')).status).toBe(200);
    await sim.close();
    sim = await startSimulator({ now: NOW, rateLimit: false });
    for (let i = 0; i < 150; i++) expect((await simGet(sim, '/health')).status).toBe(200);
    expect(sim.requestCount).toBe(150);
  });
});

describe('TokenBucket', () => {
  it('refills continuously and reports whole seconds until the next token', () => {
    let now = 0;
    const bucket = new TokenBucket({ capacity: 2, perMinute: 30 }, () => now);
    expect(bucket.take()).toEqual({ ok: true });
    expect(bucket.take()).toEqual({ ok: true });
    expect(bucket.take()).toEqual({ ok: false, retryAfterSeconds: 2 });
    now = 1500; // 0.75 of a token back
    expect(bucket.take()).toEqual({ ok: false, retryAfterSeconds: 1 });
    now = 2000;
    expect(bucket.take()).toEqual({ ok: true });
    now = 600_000; // long idle: refills only up to capacity
    expect([bucket.take().ok, bucket.take().ok, bucket.take().ok]).toEqual([true, true, false]);
  });
});
