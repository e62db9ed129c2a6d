import { describe, expect, it } from 'vitest';
import { TsdbtError } from '../src/errors/tsdbt-error.js';

describe('TsdbtError', () => {
  it('formats file, line, message and hint', () => {
    const e = new TsdbtError('REF_NOT_FOUND', "ref('stg_pull_request') matches no node.", {
      file: 'models/marts/mart_velocity.sql',
      line: 3,
      hint: "Did you mean 'stg_pull_requests'?",
    });
    expect(e.format()).toBe(
      "models/marts/mart_velocity.sql:3: ref('stg_pull_request') matches no node.\n  Did you mean 'stg_pull_requests'?",
    );
  });
});
