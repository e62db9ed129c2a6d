/**
 * Worker-thread side of `startSnowflakeDoubleInWorker`: starts the double
 * with the options it was given, posts its port, then answers control
 * messages (`setFailure`, `queries`, `close`) from the parent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startSnowflakeDouble } from './snowflake-double.js';
import type { DoubleControl, DoubleReply } from './double-worker.js';

const double = await startSnowflakeDouble(workerData.options);
parentPort!.postMessage({ id: 0, value: { port: double.port } } satisfies DoubleReply);
parentPort!.on('message', (msg: DoubleControl) => {
  void (async () => {
    switch (msg.op) {
      case 'setFailure':
        double.setFailure(msg.failure);
        return reply(msg.id, null);
      case 'log':
        return reply(msg.id, { queries: [...double.queries], queryTags: [...double.queryTags], logins: double.loginCount(), openSessions: double.openSessions() });
      case 'clearLog':
        double.queries.length = 0;
        double.queryTags.length = 0;
        return reply(msg.id, null);
      case 'close':
        await double.close();
        reply(msg.id, null);
        parentPort!.close();
        return;
    }
  })();
});

function reply(id: number, value: unknown): void {
  parentPort!.postMessage({ id, value } satisfies DoubleReply);
}
