import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, nearestKey, nearestKnownKey } from '../../src/project/config-keys.js';

describe('nearestKnownKey', () => {
  it('answers as nearestKey does, asked again and per set of known keys', () => {
    const models = CONFIG_KEYS.models!;
    const seeds = CONFIG_KEYS.seeds!;
    for (let round = 0; round < 2; round++) {
      expect(nearestKnownKey('materialised', models)).toBe('materialized');
      expect(nearestKnownKey('qwertyuiop', models)).toBeUndefined();
      expect(nearestKnownKey('column_type', seeds)).toBe('column_types');
      expect(nearestKnownKey('column_type', models)).toBe(nearestKey('column_type', models));
    }
    const own = new Set(['alpha', 'beta']);
    expect(nearestKnownKey('alpah', own)).toBe('alpha');
    expect(nearestKnownKey('materialised', own)).toBeUndefined();
  });
});
