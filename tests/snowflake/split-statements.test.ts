import { expect, test } from 'vitest';
import { splitStatements } from '../../src/adapters/snowflake/split-statements.js';

test('splits on top-level semicolons, not inside strings, identifiers, $$ bodies or comments', () => {
  const script = `create table "a;b" (x varchar);
insert into "a;b" values ('it''s; fine', 'back\\'slash;');
-- comment; with semicolon
create function f() returns int language javascript as $$ return 1; $$;
/* block; comment */ select 1`;
  expect(splitStatements(script)).toEqual([
    'create table "a;b" (x varchar)',
    `insert into "a;b" values ('it''s; fine', 'back\\'slash;')`,
    '-- comment; with semicolon\ncreate function f() returns int language javascript as $$ return 1; $$',
    '/* block; comment */ select 1',
  ]);
});

test('empty and comment-only statements are dropped', () => {
  expect(splitStatements(' ;; -- nothing\n ; select 2 ;')).toEqual(['select 2']);
  expect(splitStatements('')).toEqual([]);
});
