/** A tiny HTTP client for the simulator tests: Basic auth with the default key unless told otherwise. */
import { DEFAULT_API_KEY, type RunningSim } from '../../src/sim/index.js';

export interface SimResponse {
  status: number;
  headers: Headers;
  text: string;
  json: () => any;
}

export async function simGet(sim: RunningSim, path: string, auth: string | false = DEFAULT_API_KEY): Promise<SimResponse> {
  const headers: Record<string, string> = {};
  if (auth !== false) headers.authorization = `Basic ${Buffer.from(`${auth}:`).toString('base64')}`;
  const res = await fetch(`${sim.url}${path}`, { headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

/** GET that must answer 200 with JSON. */
export async function simJson(sim: RunningSim, path: string): Promise<any> {
  const r = await simGet(sim, path);
  if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}: ${r.text}`);
  return r.json();
}
