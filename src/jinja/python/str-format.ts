/**
 * Python's `str.format(*args, **kwargs)`: `{}`, `{0}`, `{name}`, `{0[key]}`,
 * `{x.attr}`, conversions `!r`/`!s`, nested specs `{:{width}}`.
 */
import { pyError } from './errors.js';
import { pyFormatValue } from './format-spec.js';
import { pyRepr, pyStr } from './repr.js';
import { isDict } from './types.js';
import { isExposed, isUnsafeName, unsafeAccess } from './sandbox.js';

export function pyStrFormat(fmt: string, args: unknown[], kwargs: Record<string, unknown>): string {
  let auto = 0;
  let mode: 'auto' | 'manual' | undefined;
  const resolve = (field: string): unknown => {
    const m = /^([^.[]*)(.*)$/s.exec(field)!;
    const head = m[1];
    let value: unknown;
    if (head === '') {
      if (mode === 'manual') throw pyError('ValueError', 'cannot switch from manual field specification to automatic field numbering');
      mode = 'auto';
      const i = auto++;
      if (i >= args.length) throw pyError('IndexError', `Replacement index ${i} out of range for positional args tuple`, `'${fmt}' has more {} fields than arguments.`);
      value = args[i];
    } else if (/^\d+$/.test(head)) {
      if (mode === 'auto') throw pyError('ValueError', 'cannot switch from automatic field numbering to manual field specification');
      mode = 'manual';
      const i = Number(head);
      if (i >= args.length) throw pyError('IndexError', `Replacement index ${i} out of range for positional args tuple`, `'${fmt}' refers to argument ${i}.`);
      value = args[i];
    } else {
      if (!Object.prototype.hasOwnProperty.call(kwargs, head)) throw pyError('KeyError', `'${head}'`, `Pass ${head}=... to format().`);
      value = kwargs[head];
    }
    let rest = m[2];
    while (rest) {
      const attr = /^\.([^.[]+)/.exec(rest);
      if (attr) {
        const name = attr[1];
        if (isUnsafeName(name)) throw unsafeAccess(value, name);
        if (value === null || typeof value !== 'object' || isDict(value) || !(name in (value as object)) || !isExposed(value, name)) {
          throw pyError('AttributeError', `'${typeof value === 'object' && value !== null && isDict(value) ? 'dict' : typeof value}' object has no attribute '${name}'`);
        }
        value = (value as Record<string, unknown>)[name];
        rest = rest.slice(attr[0].length);
        continue;
      }
      const item = /^\[([^\]]*)\]/.exec(rest);
      if (!item) throw pyError('ValueError', `Only '.' or '[' may follow ']' in format field specifier`);
      const key = item[1];
      if (Array.isArray(value) && /^\d+$/.test(key)) {
        const i = Number(key);
        if (i >= value.length) throw pyError('IndexError', 'list index out of range');
        value = value[i];
      } else if (value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, key)) {
        value = (value as Record<string, unknown>)[key];
      } else throw pyError('KeyError', `'${key}'`);
      rest = rest.slice(item[0].length);
    }
    return value;
  };

  const render = (s: string, depth: number): string => {
    let out = '';
    let i = 0;
    while (i < s.length) {
      const c = s[i];
      if (c === '{') {
        if (s[i + 1] === '{') {
          out += '{';
          i += 2;
          continue;
        }
        // Find the matching close brace, allowing one level of nesting in the spec.
        let j = i + 1;
        let level = 1;
        while (j < s.length && level > 0) {
          if (s[j] === '{') level++;
          else if (s[j] === '}') level--;
          if (level > 0) j++;
        }
        if (level > 0 && i === s.length - 1) throw pyError('ValueError', "Single '{' encountered in format string", `Write {{ for a literal brace in '${fmt}'.`);
        if (level > 0) throw pyError('ValueError', "expected '}' before end of string", `Close the field in '${fmt}', or write {{ for a literal brace.`);
        const field = s.slice(i + 1, j);
        out += renderField(field, depth);
        i = j + 1;
        continue;
      }
      if (c === '}') {
        if (s[i + 1] === '}') {
          out += '}';
          i += 2;
          continue;
        }
        throw pyError('ValueError', "Single '}' encountered in format string", `Write }} for a literal brace in '${fmt}'.`);
      }
      out += c;
      i++;
    }
    return out;
  };

  const renderField = (field: string, depth: number): string => {
    let spec = '';
    let conv = '';
    const colon = indexOutsideBrackets(field, ':');
    let name = field;
    if (colon >= 0) {
      spec = field.slice(colon + 1);
      name = field.slice(0, colon);
    }
    const bang = indexOutsideBrackets(name, '!');
    if (bang >= 0) {
      conv = name.slice(bang + 1);
      name = name.slice(0, bang);
      if (conv !== 'r' && conv !== 's' && conv !== 'a') throw pyError('ValueError', `Unknown conversion specifier ${conv}`);
    }
    let value = resolve(name);
    if (conv === 'r' || conv === 'a') value = pyRepr(value);
    else if (conv === 's') value = pyStr(value);
    if (spec.includes('{')) {
      if (depth >= 1) throw pyError('ValueError', 'Max string recursion exceeded');
      spec = render(spec, depth + 1);
    }
    return pyFormatValue(value, spec);
  };

  return render(fmt, 0);
}

function indexOutsideBrackets(s: string, ch: string): number {
  let inBracket = false;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '[') inBracket = true;
    else if (s[i] === ']') inBracket = false;
    else if (s[i] === ch && !inBracket) return i;
  }
  return -1;
}
