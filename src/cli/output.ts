import { Chalk } from 'chalk';
import type { Logger } from '../context/base-context.js';

export interface OutputStreams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface OutputOptions {
  color: boolean;
  quiet: boolean;
  debug: boolean;
  json: boolean;
}

/** Everything the CLI prints goes through here: colour, --quiet, --debug, --log-format json. */
export class Output implements Logger {
  private readonly chalk: InstanceType<typeof Chalk>;

  constructor(private readonly streams: OutputStreams, readonly options: OutputOptions) {
    this.chalk = new Chalk({ level: options.color ? 1 : 0 });
  }

  private emit(level: 'info' | 'warn' | 'error' | 'debug', msg: string, toErr = false): void {
    if (this.options.json) {
      const line = JSON.stringify({ info: { level, msg, ts: new Date().toISOString() } });
      (toErr ? this.streams.stderr : this.streams.stdout)(`${line}\n`);
      return;
    }
    (toErr ? this.streams.stderr : this.streams.stdout)(`${msg}\n`);
  }

  info(msg: string): void {
    if (!this.options.quiet) this.emit('info', msg);
  }
  /** Printed even with --quiet (results the user asked for: ls, show, compile --inline). */
  result(msg: string): void {
    if (this.options.json) this.emit('info', msg);
    else this.streams.stdout(`${msg}\n`);
  }
  debug(msg: string): void {
    if (this.options.debug) this.emit('debug', this.chalk.gray(msg));
  }
  warn(msg: string): void {
    this.emit('warn', this.chalk.yellow(`[WARNING]: ${msg}`), true);
  }
  error(msg: string): void {
    this.emit('error', this.chalk.red(msg), true);
  }
  green(s: string): string {
    return this.chalk.green(s);
  }
  red(s: string): string {
    return this.chalk.red(s);
  }
  yellow(s: string): string {
    return this.chalk.yellow(s);
  }
}
