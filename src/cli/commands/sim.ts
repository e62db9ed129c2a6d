import { startSimulator } from '../../sim/index.js';
import type { Command } from '../command-context.js';

/** The port `tsdbt sim` listens on by default: project/extract.yml's base_url (http://127.0.0.1:8080), like the real server's. */
export const DEFAULT_SIM_PORT = 8080;

/** `tsdbt sim`: serve the bundled cursor-sim simulator on 127.0.0.1 until interrupted. */
export const simCommand: Command = async (ctx) => {
  const f = ctx.argv.flags;
  const sim = await startSimulator({
    port: f.port === undefined ? DEFAULT_SIM_PORT : Number(f.port),
    seed: f.seed === undefined ? undefined : Number(f.seed),
    developers: f.developers === undefined ? undefined : Number(f.developers),
    days: f.days === undefined ? undefined : Number(f.days),
    // --rate-limit N: the bucket holds N requests and refills N a minute (the real server's is 100).
    rateLimit: f.noRateLimit ? false : f.rateLimit === undefined ? undefined : { capacity: Number(f.rateLimit), perMinute: Number(f.rateLimit) },
  });
  ctx.out.result(`cursor-sim simulator listening on ${sim.url} (API key: cursor-sim-dev-key; Ctrl-C to stop)`);
  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', () => resolveStop());
    process.once('SIGTERM', () => resolveStop());
  });
  await sim.close();
  return 0;
};
