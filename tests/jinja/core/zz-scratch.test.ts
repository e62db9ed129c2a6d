import { it } from 'vitest';
import { parseTemplate } from '../../../src/jinja/template-parser.js';
import { lexer } from '../../../src/jinja/nunjucks-internals.js';
import { MODEL } from '../../../bench/jinja-fixtures.js';
it('compile speed', () => {
  const N = 2000;
  for (let r = 0; r < 3; r++) {
  let t0 = performance.now();
  let n = 0;
  for (let i = 0; i < N; i++) { const t = lexer.lex(MODEL + ' ' + i, {}); while (t.nextToken()) n++; }
  console.log('lex ms', performance.now() - t0, n / N);
  t0 = performance.now();
  for (let i = 0; i < N; i++) parseTemplate(MODEL + ' ' + i, `m${i}.sql`);
  console.log('parse ms', performance.now() - t0);
  }
});
