import { mkdirSync } from 'node:fs';
import { appendFileWhole } from '../util/atomic-write.js';
import { rollOverLog } from './log-rollover.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { join } from 'node:path';
import { plainText, type Paint } from './console-colour.js';
import type { Logger } from '../context/base-context.js';
import { LEVEL_RANK, note, type LogEvent, type LogLevel } from './log-event.js';

export interface OutputStreams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface OutputOptions {
  color: boolean;
  /** What paints the text when `color` is on (console-colour.ts: chalk, imported only then); without it the text stays plain. */
  paint?: Paint;
  quiet: boolean;
  debug: boolean;
  json: boolean;
  /** `--log-level`: the lowest level printed to the console (default info; debug with --debug; none prints nothing). */
  level?: LogLevel | 'none';
  /** `--printer-width` / DBT_PRINTER_WIDTH: the width progress lines are justified to (default 80). */
  printerWidth?: number;
  /** stdout is a terminal (and not JSON logs): a live status line may be redrawn in place. */
  live?: boolean;
  /** `--no-print` / DBT_PRINT=false: a template's print() prints nothing. */
  noPrint?: boolean;
}

export interface LogFileOptions {
  /** The folder of dbt.log (`--log-path`, DBT_LOG_PATH, or `<project>/logs`). */
  dir: string;
  format: 'text' | 'json';
  level: LogLevel | 'none';
  /** Roll dbt.log over to dbt.log.1 (dbt.log.1 to .2, ... up to .5) before a write would take it to this size; 0 or less: never. */
  maxBytes?: number;
}

/** How long the console holds lines at most while a run holds them (see Output.holdConsole). */
const CONSOLE_HOLD_MS = 50;

const pad2 = (n: number) => String(n).padStart(2, '0');
const clock = (d: Date) => `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
const fileClock = (d: Date) => `${clock(d)}.${String(d.getMilliseconds() * 1000).padStart(6, '0')}`;

/**
 * Everything the CLI prints goes through here: colour, --quiet, --debug,
 * --log-level, --log-format json (one dbt-shaped event a line) and the debug
 * log file logs/dbt.log (text or JSON per --log-format-file).
 */
export class Output implements Logger {
  /** The text in a colour when colour is on (console-colour.ts), else as it is. */
  private readonly paint: Paint;
  invocationId = '';
  private file?: { path: string; format: 'text' | 'json'; level: number; buffer: string[]; size: number; maxBytes: number };
  /** The live status line on the terminal, if one is drawn. */
  private liveText: string | null = null;

  constructor(private readonly streams: OutputStreams, readonly options: OutputOptions) {
    this.paint = options.color && options.paint ? options.paint : plainText;
  }

  get printerWidth(): number {
    return this.options.printerWidth ?? 80;
  }

  private get consoleLevel(): number {
    if (this.options.level === 'none') return Infinity;
    if (this.options.level) return LEVEL_RANK[this.options.level];
    return this.options.debug ? LEVEL_RANK.debug : LEVEL_RANK.info;
  }

  /** Start writing logs/dbt.log (appended, as dbt does); a folder that cannot be made turns the file log off. */
  openLogFile(opts: LogFileOptions): void {
    if (opts.level === 'none') return;
    try {
      mkdirSync(opts.dir, { recursive: true });
    } catch {
      return;
    }
    this.file = { path: join(opts.dir, 'dbt.log'), format: opts.format, level: LEVEL_RANK[opts.level], buffer: [], size: 0, maxBytes: opts.maxBytes ?? 0 };
    if (opts.format === 'text') this.toFile(`${'='.repeat(30)} ${fileClock(new Date())} | ${this.invocationId} ${'='.repeat(30)}\n`);
  }

  /**
   * Hold console lines and write them at most every CONSOLE_HOLD_MS (and as
   * they pass 64 KB): a run prints two lines a node, and a write a line cost
   * its coordinator a system call each (6,000 tests: 12,000 writes). Lines
   * keep their order across stdout and stderr; the bytes are the same. Not
   * when a live status line is drawn (a terminal). Until `flush()` (called
   * at the end of every command, and at exit).
   */
  holdConsole(): void {
    if (this.live || this.held) return;
    this.held = { toErr: false, parts: [], size: 0, timer: null };
    process.once('exit', this.flushConsole);
  }

  private held: { toErr: boolean; parts: string[]; size: number; timer: NodeJS.Timeout | null } | null = null;

  private write(toErr: boolean | undefined, text: string): void {
    const h = this.held;
    if (!h) return (toErr ? this.streams.stderr : this.streams.stdout)(text);
    if (h.parts.length > 0 && h.toErr !== Boolean(toErr)) this.flushConsole();
    h.toErr = Boolean(toErr);
    h.parts.push(text);
    h.size += text.length;
    if (h.size > 64 * 1024) this.flushConsole();
    else h.timer ??= setTimeout(this.flushConsole, CONSOLE_HOLD_MS);
  }

  /** Write the console lines held (see holdConsole). */
  private readonly flushConsole = (): void => {
    const h = this.held;
    if (!h) return;
    if (h.timer) clearTimeout(h.timer);
    h.timer = null;
    if (h.parts.length === 0) return;
    const text = h.parts.join('');
    h.parts = [];
    h.size = 0;
    (h.toErr ? this.streams.stderr : this.streams.stdout)(text);
  };

  /** Write what the console and the log file hold in memory (called at exit and as the buffer grows); stops holding console lines. */
  flush(): void {
    this.flushConsole();
    if (this.held) process.off('exit', this.flushConsole);
    this.held = null;
    this.flushFile();
  }

  private flushFile(): void {
    const f = this.file;
    if (!f || f.buffer.length === 0) return;
    const text = f.buffer.join('');
    f.buffer = [];
    f.size = 0;
    try {
      if (f.maxBytes > 0) rollOverLog(f.path, Buffer.byteLength(text), f.maxBytes);
      appendFileWhole(f.path, text, 'the debug log');
    } catch (e) {
      // A log file that cannot be written must not fail the command: say so once (the console only), and stop writing it.
      this.file = undefined;
      const message = e instanceof TsdbtError ? `${e.message} (the rest of this run is not logged there; the lines before it are intact)` : String(e);
      this.warn(message);
    }
  }

  private toFile(text: string): void {
    const f = this.file!;
    f.buffer.push(text);
    f.size += text.length;
    if (f.size > 256 * 1024) this.flushFile();
  }

  private jsonLine(e: LogEvent, now: Date): string {
    return JSON.stringify({
      info: { name: e.name, code: e.code, msg: e.msg, level: e.level, invocation_id: this.invocationId, pid: process.pid, thread: e.thread ?? 'MainThread', ts: now.toISOString(), category: '', extra: {} },
      data: e.data,
    });
  }

  /**
   * Print a structured event: in text, `HH:MM:SS  msg` (the status words in
   * colour); in JSON, dbt's event object. `toErr` sends it to stderr.
   */
  event(e: LogEvent, opts: { toErr?: boolean; timestamp?: boolean; force?: boolean } = {}): void {
    const now = new Date();
    if (this.file && LEVEL_RANK[e.level] >= this.file.level) {
      this.toFile(this.file.format === 'json' ? `${this.jsonLine(e, now)}\n` : `${fileClock(now)} [${e.level.padEnd(5)}] [${e.thread ?? 'MainThread'}]: ${e.msg}\n`);
    }
    const quietDrop = this.options.quiet && !opts.force && LEVEL_RANK[e.level] < LEVEL_RANK.error;
    if (quietDrop || (!opts.force && LEVEL_RANK[e.level] < this.consoleLevel)) return;
    if (this.options.json) return this.write(opts.toErr, `${this.jsonLine(e, now)}\n`);
    const text = this.options.color ? (e.coloured ?? e.msg) : e.msg;
    if (this.liveText !== null) this.streams.stdout('\r\x1b[2K');
    this.write(opts.toErr, `${opts.timestamp === false ? '' : `${clock(now)}  `}${text}\n`);
    if (this.liveText !== null) this.streams.stdout(this.liveText);
  }

  /** Whether a live status line can be drawn (a terminal, not JSON logs, not --quiet). */
  get live(): boolean {
    return Boolean(this.options.live) && !this.options.json && !this.options.quiet;
  }

  /** Draw (or, with null, erase) the live status line in place; nothing unless `live`. */
  liveLine(text: string | null): void {
    if (!this.live) return;
    this.streams.stdout(`\r\x1b[2K${text ?? ''}`);
    this.liveText = text;
  }

  info(msg: string): void {
    this.event(note(msg), { timestamp: false });
  }
  /** A template's print(msg): dbt's PrintEvent, the text alone, even with --quiet; nothing with --no-print. */
  printed(msg: string): void {
    if (!this.options.noPrint) this.resultEvent({ name: 'PrintEvent', code: 'Z052', level: 'info', msg, data: { msg } });
  }
  /** A template's log(msg, info=True): dbt's JinjaLogInfo, printed with its time as dbt prints its events. */
  jinjaInfo(msg: string): void {
    this.event({ name: 'JinjaLogInfo', code: 'I062', level: 'info', msg, data: { msg } });
  }
  /** Printed even with --quiet (results the user asked for: ls, show, compile --inline). */
  result(msg: string): void {
    if (this.options.json) this.event(note(msg), { force: true });
    else {
      this.write(false, `${msg}\n`);
      if (this.file) this.toFile(`${fileClock(new Date())} [info ] [MainThread]: ${msg}\n`);
    }
  }
  /**
   * One of dbt's print events (ShowNode, CompiledNode): printed as result()
   * prints (no timestamp, even with --quiet), or in JSON logs as the event
   * itself, its data included.
   */
  resultEvent(e: LogEvent): void {
    if (this.options.json) this.event(e, { force: true });
    else this.result(e.msg);
  }

  /** result() for each of `msgs`, the console's share written at once (`ls` prints tens of thousands of lines). */
  results(msgs: readonly string[]): void {
    if (this.options.json || msgs.length === 0) {
      for (const m of msgs) this.result(m);
      return;
    }
    this.write(false, `${msgs.join('\n')}\n`);
    if (this.file) {
      const at = fileClock(new Date());
      for (const m of msgs) this.toFile(`${at} [info ] [MainThread]: ${m}\n`);
    }
  }
  debug(msg: string): void {
    this.event({ ...note(msg, 'debug'), coloured: this.paint('gray', msg) }, { timestamp: false });
  }
  warn(msg: string): void {
    const text = `[WARNING]: ${msg}`;
    this.event({ ...note(text, 'warn'), coloured: this.paint('yellow', text) }, { toErr: true, timestamp: false, force: true });
  }
  error(msg: string): void {
    this.event({ ...note(msg, 'error'), coloured: this.paint('red', msg) }, { toErr: true, timestamp: false, force: true });
  }
  green(s: string): string {
    return this.paint('green', s);
  }
  red(s: string): string {
    return this.paint('red', s);
  }
  yellow(s: string): string {
    return this.paint('yellow', s);
  }
}
