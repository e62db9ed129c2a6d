// Runs graph-bench.ts through Vite's SSR loader (no TS runner is installed).
import { createServer } from 'vite';

const server = await createServer({ configFile: false, logLevel: 'error', server: { middlewareMode: true, hmr: false }, optimizeDeps: { noDiscovery: true } });
try {
  const mod = await server.ssrLoadModule(new URL('./graph-bench.ts', import.meta.url).pathname);
  await mod.main();
} finally {
  await server.close();
}
