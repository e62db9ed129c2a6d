/**
 * The syntax tree our parser produces and our compiler consumes: Jinja2's
 * grammar (not nunjucks'), with dbt's block tags lowered to macros.
 */

export type Expr =
  | { k: 'const'; line: number; value: unknown; float?: boolean }
  | { k: 'name'; line: number; name: string }
  | { k: 'tuple'; line: number; items: Expr[] }
  | { k: 'list'; line: number; items: Expr[] }
  | { k: 'dict'; line: number; pairs: [Expr, Expr][] }
  | { k: 'getattr'; line: number; obj: Expr; attr: string }
  | { k: 'getitem'; line: number; obj: Expr; key: Expr }
  | { k: 'slice'; line: number; obj: Expr; start: Expr | null; stop: Expr | null; step: Expr | null }
  | { k: 'call'; line: number; fn: Expr; args: Expr[]; kwargs: [string, Expr][]; star?: Expr; starstar?: Expr }
  | { k: 'filter'; line: number; name: string; target: Expr | null; args: Expr[]; kwargs: [string, Expr][] }
  | { k: 'test'; line: number; name: string; target: Expr; args: Expr[]; negate: boolean }
  | { k: 'binop'; line: number; op: BinOp; left: Expr; right: Expr }
  | { k: 'unary'; line: number; op: 'neg' | 'pos' | 'not'; operand: Expr }
  | { k: 'and' | 'or'; line: number; left: Expr; right: Expr }
  | { k: 'compare'; line: number; first: Expr; ops: [CmpOp, Expr][] }
  | { k: 'cond'; line: number; test: Expr; body: Expr; orelse: Expr | null };

export type BinOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '~';
export type CmpOp = '==' | '!=' | '<' | '>' | '<=' | '>=' | 'in' | 'notin';

/** Assignment targets: `x`, `a, b`, `ns.attr`. */
export type Target =
  | { k: 'name'; line: number; name: string }
  | { k: 'tuple'; line: number; items: Target[] }
  | { k: 'attr'; line: number; obj: string; attr: string };

export interface Param {
  name: string;
  default: Expr | null;
}

export type Stmt =
  | { k: 'data'; line: number; text: string }
  | { k: 'output'; line: number; expr: Expr }
  | { k: 'if'; line: number; test: Expr; body: Stmt[]; orelse: Stmt[] }
  | { k: 'for'; line: number; target: Target; iter: Expr; filter: Expr | null; body: Stmt[]; orelse: Stmt[]; recursive: boolean }
  | { k: 'set'; line: number; target: Target; value: Expr }
  | { k: 'setblock'; line: number; target: Target; body: Stmt[]; filters: Expr[] }
  | { k: 'macro'; line: number; name: string; params: Param[]; body: Stmt[] }
  | { k: 'callblock'; line: number; call: Expr; params: Param[]; body: Stmt[] }
  | { k: 'filterblock'; line: number; filters: Expr[]; body: Stmt[] }
  | { k: 'with'; line: number; targets: Target[]; values: Expr[]; body: Stmt[] }
  | { k: 'do'; line: number; expr: Expr }
  | { k: 'break' | 'continue'; line: number }
  /** A dbt block whose body is not a macro: `docs` defines nothing when rendered; `snapshot` renders its body. */
  | { k: 'dbtblock'; line: number; kind: 'docs' | 'snapshot'; name: string; body: Stmt[] };

/** Every name an expression tree or statement list reads (a superset: targets count too). */
export function collectNames(node: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) collectNames(node[i], into);
    return into;
  }
  if (node === null || typeof node !== 'object') return into;
  const n = node as Record<string, unknown>;
  if (n.k === 'name' && typeof n.name === 'string') into.add(n.name);
  for (const key in n) {
    if (key === 'k' || key === 'line') continue;
    const v = n[key];
    if (v !== null && typeof v === 'object') collectNames(v, into);
  }
  return into;
}
