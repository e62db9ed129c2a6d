import { decline } from './yaml-decline.js';

/**
 * Literal (`|`) and folded (`>`) block scalars with a chomping indicator
 * (`-` strip, `+` keep, none clip), built as the `yaml` package builds them.
 * The content indent is the first non-empty line's; the scalar ends at the
 * first non-empty line indented less. Declined (left to `yaml`): explicit
 * indentation indicators, a leading empty line longer than the content
 * indent (yaml's error), and an empty scalar that keeps its line breaks. A
 * whitespace-only line longer than the content indent is a more-indented
 * line of its extra spaces, as in yaml.
 */
export interface BlockScalar {
  value: string;
  /** Index of the scalar's last line (the header's when it has no content). */
  last: number;
}

/**
 * The block scalar whose header (`|`, `>-`, ... to the end of the line) is
 * on line `at` of `raw`, inside a collection indented `collIndent`.
 */
export function readBlockScalar(raw: readonly string[], at: number, header: string, collIndent: number): BlockScalar {
  const folded = header.charCodeAt(0) === 62; /* > */
  let i = 1;
  let chomp = header[1];
  if (chomp === '-' || chomp === '+') i = 2;
  else chomp = '';
  if (i < header.length) {
    const c = header.charCodeAt(i);
    if (c >= 48 && c <= 57) decline('block scalar indentation indicator');
    if (c !== 32) decline('block scalar header');
    while (i < header.length && header.charCodeAt(i) === 32) i++;
    if (i < header.length && header.charCodeAt(i) !== 35 /* # */) decline('block scalar header');
  }

  // The content indent: the first non-empty line's.
  let j = at + 1;
  let longestBlank = 0;
  let indent = -1;
  for (; j < raw.length; j++) {
    const line = raw[j]!;
    let k = 0;
    while (k < line.length && line.charCodeAt(k) === 32) k++;
    if (k < line.length) {
      indent = k;
      break;
    }
    if (k > longestBlank) longestBlank = k;
  }
  if (indent <= collIndent) {
    if (chomp === '+') decline('empty block scalar keeping line breaks');
    if (longestBlank > 0) decline('empty block scalar with indented blank lines');
    return { value: '', last: at };
  }
  if (longestBlank > indent) decline('more-indented leading empty line in a block scalar');

  let value = '\n'.repeat(j - at - 1);
  let sep = '';
  let moreIndented = false;
  let lastContent = j;
  let blanks = 0;
  for (; j < raw.length; j++) {
    const line = raw[j]!;
    let k = 0;
    while (k < line.length && line.charCodeAt(k) === 32) k++;
    // A whitespace-only line is empty up to the content indent; deeper, its extra spaces are content (more indented).
    if (k === line.length && k <= indent) {
      blanks++;
      continue;
    }
    if (k < indent) break;
    // Empty lines between two content lines.
    if (!folded) for (; blanks > 0; blanks--) value += sep, (sep = '\n');
    else
      for (; blanks > 0; blanks--) {
        if (sep === '\n') value += '\n';
        else sep = '\n';
      }
    const text = line.slice(indent);
    if (!folded) {
      value += sep + text;
      sep = '\n';
    } else if (k > indent) {
      if (sep === ' ') sep = '\n';
      else if (!moreIndented && sep === '\n') sep = '\n\n';
      value += sep + text;
      sep = '\n';
      moreIndented = true;
    } else {
      value += sep + text;
      sep = ' ';
      moreIndented = false;
    }
    lastContent = j;
  }
  // j is the first line after the scalar (or raw.length); raw ends with '' when the text ends with a line break.
  if (chomp === '') value += '\n';
  else if (chomp === '+') {
    const breaks = (j === raw.length ? raw.length - 1 : j) - lastContent;
    value += '\n'.repeat(Math.max(1, breaks));
  }
  return { value, last: j - 1 };
}
