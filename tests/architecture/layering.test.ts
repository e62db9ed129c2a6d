import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The house rules of src/ (STYLE.md, src/README.md): a folder imports only the
 * folders below it in LAYERS, a few upward edges are allowed as types only,
 * and no two files import each other, directly or around a loop.
 */
const LAYERS = [
  'errors', 'util', 'jinja', 'manifest', 'context', 'project', 'graph', 'compile', 'adapters', 'include',
  'execute', 'artifacts', 'extract', 'sim', 'deps', 'semantic', 'api', 'serve', 'cli', 'index.ts',
];
/** Upward edges allowed for `import type` only: the contexts describe adapters and parse results by their types. */
const TYPE_ONLY_UP = new Set(['context -> adapters', 'context -> project', 'project -> adapters']);

const SRC = resolve(__dirname, '../../src');
interface Edge { from: string; to: string; typeOnly: boolean; }

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;

function edgesOf(file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  const edges: Edge[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const to = resolve(dirname(file), m[3]!).replace(/\.js$/, '.ts');
    edges.push({ from: file, to, typeOnly: m[2] !== undefined });
  }
  return edges;
}

const folderOf = (file: string) => relative(SRC, file).split('/')[0]!;
const files = sourceFiles(SRC);
const edges = files.flatMap(edgesOf);

describe('src/ layering', () => {
  it('knows every folder of src/', () => {
    const folders = [...new Set(files.map(folderOf))];
    expect(folders.filter((f) => !LAYERS.includes(f))).toEqual([]);
  });

  it('imports only downward (upward edges only as the allowed type imports)', () => {
    const bad: string[] = [];
    for (const e of edges) {
      const a = folderOf(e.from);
      const b = folderOf(e.to);
      if (a === b || LAYERS.indexOf(b) < LAYERS.indexOf(a)) continue;
      if (e.typeOnly && TYPE_ONLY_UP.has(`${a} -> ${b}`)) continue;
      bad.push(`${relative(SRC, e.from)} imports ${relative(SRC, e.to)}${e.typeOnly ? ' (type)' : ''}`);
    }
    expect(bad).toEqual([]);
  });

  it('has no import cycle between files', () => {
    const out = new Map<string, string[]>();
    for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const cycles: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const t of out.get(f) ?? []) {
        if (state.get(t) === 'open') cycles.push(stack.slice(stack.indexOf(t)).concat(t).map((x) => relative(SRC, x)).join(' -> '));
        else if (!state.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('keeps a README.md in every folder of src/ with more than three files', () => {
    const missing = [...new Set(files.map(folderOf))]
      .filter((f) => !f.endsWith('.ts'))
      .filter((f) => files.filter((x) => folderOf(x) === f).length > 3)
      .filter((f) => { try { return !statSync(join(SRC, f, 'README.md')).isFile(); } catch { return true; } });
    expect(missing).toEqual([]);
  });
});
