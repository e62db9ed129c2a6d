/**
 * Statements on one connection, one at a time, each cancellable: when its
 * signal aborts, `cancel` is sent and repeated until the statement ends (an
 * interrupt sent before the database has started a statement is lost), and
 * the next statement starts only after it. The statement's promise rejects
 * with the signal's reason.
 */
export class OneAtATime {
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly repeatMs = 50) {}

  run<T>(signal: AbortSignal, cancel: () => void, statement: () => Promise<T>): Promise<T> {
    const next = this.running.catch(() => undefined).then(() => this.runNow(signal, cancel, statement));
    this.running = next;
    return next;
  }

  /** Resolves once nothing runs. */
  async idle(): Promise<void> {
    await this.running.catch(() => undefined);
  }

  private async runNow<T>(signal: AbortSignal, cancel: () => void, statement: () => Promise<T>): Promise<T> {
    if (signal.aborted) throw signal.reason;
    let repeat: NodeJS.Timeout | undefined;
    const onAbort = () => {
      cancel();
      repeat ??= setInterval(cancel, this.repeatMs);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const out = await statement();
      if (signal.aborted) throw signal.reason;
      return out;
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      throw e;
    } finally {
      clearInterval(repeat);
      signal.removeEventListener('abort', onAbort);
    }
  }
}
