import { startSimulator } from '../../sim/index.js';
import type { Command } from '../command-context.js';

/** `tsdbt sim`: serve the bundled cursor-sim simulator on 127.0.0.1 until interrupted. */
export const simCommand: Command = async (ctx) => {
  const f = ctx.argv.flags;
  const sim = await startSimulator({
    port: f.port === undefined ? 0 : Number(f.port),
    seed: f.seed === undefined ? undefined : Number(f.seed),
    developers: f.developers === undefined ? undefined : Number(f.developers),
    days: f.days === undefined ? undefined : Number(f.days),
    rateLimit: f.noRateLimit ? false : undefined,
  });
  ctx.out.result(`cursor-sim simulator listening on ${sim.url} (API key: cursor-sim-dev-key; Ctrl-C to stop)`);
  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', () => resolveStop());
    process.once('SIGTERM', () => resolveStop());
  });
  await sim.close();
  return 0;
};
