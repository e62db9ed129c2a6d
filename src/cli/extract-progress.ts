import type { ExtractProgress } from '../extract/index.js';

/** What the printer writes to: info lines, and the live line on a terminal. */
export interface ProgressOut {
  info(msg: string): void;
  debug(msg: string): void;
  error(msg: string): void;
  readonly live: boolean;
  liveLine(text: string | null): void;
  readonly printerWidth: number;
}

interface StreamLine {
  phase: ExtractProgress['phase'];
  pages: number;
  rows: number;
  requests: number;
  waitMs: number;
  /** When this stream's last progress line was printed. */
  printed: number;
}

/**
 * `tsdbt extract`'s progress: a line per stream when it starts and ends, a
 * line every `intervalMs` while it fetches (pages, rows, requests, time
 * waited for the rate limit), a line at once for a server's 429 pause or a
 * long wait, and — on a terminal only — one live status line redrawn in place.
 * A long extract is never silent.
 */
export class ExtractProgressPrinter {
  private readonly streams = new Map<string, StreamLine>();
  private readonly started: number;
  private lastDraw = 0;

  constructor(
    private readonly out: ProgressOut,
    private readonly intervalMs = 5000,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.started = now();
  }

  on(e: ExtractProgress): void {
    const t = this.now();
    const line = this.streams.get(e.stream) ?? { phase: e.phase, pages: 0, rows: 0, requests: 0, waitMs: 0, printed: t };
    Object.assign(line, { phase: e.phase, pages: e.pages, rows: e.rows, requests: e.requests, waitMs: e.waitMs });
    this.streams.set(e.stream, line);
    const counts = `${plural(e.pages, 'page')}, ${plural(e.rows, 'row')}, ${plural(e.requests, 'request')}${e.waitMs >= 1000 ? `, waited ${seconds(e.waitMs)} for the rate limit` : ''}`;
    switch (e.phase) {
      case 'start':
        this.out.info(`${e.stream}: started`);
        line.printed = t;
        break;
      case 'page':
        if (t - line.printed >= this.intervalMs) {
          this.out.info(`${e.stream}: ${counts}`);
          line.printed = t;
        }
        break;
      case 'wait':
        // A server pause (429) is said at once; the client's own pacing only when a wait is long.
        if ((e.waitFor ?? 0) >= 1000 && (/429/.test(e.message ?? '') || t - line.printed >= this.intervalMs)) {
          this.out.info(`${e.stream}: waiting ${seconds(e.waitFor ?? 0)} for the ${e.message ?? 'rate limit'} (${counts})`);
          line.printed = t;
        }
        break;
      case 'landed':
        this.out.debug(`${e.stream}: landed ${counts}`);
        break;
      case 'retry':
        this.out.debug(`${e.stream}: retry ${counts}${e.message ? ` ${e.message}` : ''}`);
        break;
      case 'error':
        this.out.error(`${e.stream}: ERROR ${counts}${e.message ? ` ${e.message}` : ''}`);
        break;
      case 'skipped':
        this.out.info(`${e.stream}: skipped${e.message ? ` (${e.message})` : ''}`);
        break;
      default:
        this.out.info(`${e.stream}: ${e.phase} ${counts}`);
    }
    this.draw(t, e.phase !== 'page' && e.phase !== 'wait');
  }

  /** Erase the live line (before the summary). */
  finish(): void {
    this.out.liveLine(null);
  }

  /** The live line: elapsed time, then each stream's state; redrawn at most 10 times a second. */
  private draw(t: number, force: boolean): void {
    if (!this.out.live || (!force && t - this.lastDraw < 100)) return;
    this.lastDraw = t;
    const parts = [...this.streams].map(([name, s]) => {
      if (s.phase === 'done' || s.phase === 'landed') return `${name} ✓ ${s.rows}`;
      if (s.phase === 'error') return `${name} ✗`;
      if (s.phase === 'skipped') return `${name} –`;
      return `${name} ${s.rows} rows/${s.pages}p${s.phase === 'wait' ? ' (waiting)' : ''}`;
    });
    const requests = [...this.streams.values()].reduce((n, s) => n + s.requests, 0);
    const text = `extract ${seconds(t - this.started)} | ${parts.join(' | ')} | ${plural(requests, 'request')}`;
    const width = Math.max(20, this.out.printerWidth);
    this.out.liveLine(text.length > width ? `${text.slice(0, width - 1)}…` : text);
  }
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
