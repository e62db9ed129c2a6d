import { describe, expect, it } from 'vitest';
import { Output } from '../../src/cli/output.js';
import { reportError } from '../../src/cli/report-error.js';

function capture(debug: boolean): { out: Output; text: () => string } {
  let text = '';
  const write = (t: string) => void (text += t);
  return { out: new Output({ stdout: write, stderr: write }, { color: false, quiet: false, debug, json: false }), text: () => text };
}

describe('reportError: an unexpected error', () => {
  const boom = (): never => {
    throw new TypeError("Cannot read properties of undefined (reading 'x')\nsecond line");
  };
  const caught = (() => {
    try {
      boom();
    } catch (e) {
      return e;
    }
  })();

  it('is one located line without --debug', () => {
    const { out, text } = capture(false);
    reportError(caught, out);
    const lines = text().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Internal error: TypeError: Cannot read properties of undefined \(reading 'x'\) \(at .*report-error\.test\.ts:\d+\)\. Run with --debug for the stack trace\.$/);
  });

  it('adds the stack with --debug', () => {
    const { out, text } = capture(true);
    reportError(caught, out);
    expect(text()).toContain('    at boom');
  });

  it('handles a thrown non-Error', () => {
    const { out, text } = capture(false);
    reportError('plain', out);
    expect(text().trimEnd().split('\n')).toHaveLength(1);
    expect(text()).toMatch(/^Internal error: plain/);
  });
});
