import { formatTable } from '../../adapters/base/result-table.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { JOB_LIMITS } from '../../serve/analytics-service.js';
import { translateSpec } from '../../serve/analytics-spec.js';
import { askModel } from '../../serve/nl/ask-model.js';
import { OpenAiModel } from '../../serve/nl/openai-model.js';
import { parseQuestion } from '../../serve/nl/question-parser.js';
import { SemanticBackend } from '../../serve/semantic-backend.js';
import { globalOptions, type CommandContext } from '../command-context.js';

/**
 * `tsdbt sl ask "how many PRs were merged per week by repo in the last 8 weeks?"`:
 * the question → a validated spec (the deterministic parser, or the language
 * model of TSDBT_LLM_BASE_URL) → SQL → rows; prints the spec and the result.
 */
export async function slAsk(ctx: CommandContext): Promise<number> {
  const question = ctx.argv.positionals.slice(1).join(' ').trim();
  if (!question) throw new TsdbtError('USAGE', 'tsdbt sl ask needs a question', { hint: 'e.g. tsdbt sl ask "PRs merged per week in the last 8 weeks"' });
  const backend = await SemanticBackend.open(globalOptions(ctx));
  try {
    const catalog = backend.catalog();
    const model = OpenAiModel.fromEnv(ctx.env);
    const parsed = model ? await askModel(question, catalog, model, JOB_LIMITS) : parseQuestion(question, catalog);
    if (!parsed.spec) {
      throw new TsdbtError('QUERY_INVALID', `${parsed.explanation}${parsed.unmatched.length ? ` Not understood: ${parsed.unmatched.join(', ')}.` : ''}`, { hint: 'Name a metric (see `tsdbt sl list metrics`), e.g. "PRs merged per week".' });
    }
    const { query, issues } = translateSpec(parsed.spec, catalog, { min: 1, max: 1000 });
    if (issues.length) throw new TsdbtError('QUERY_INVALID', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { hint: issues[0]?.hint });
    ctx.out.result(`Understood: ${parsed.explanation}`);
    ctx.out.result(`Spec: ${JSON.stringify(parsed.spec)}`);
    if (parsed.unmatched.length) ctx.out.result(`Not understood: ${parsed.unmatched.join(', ')}`);
    const compiled = backend.compile({ ...query, limit: query.limit ?? 1000 });
    const controller = new AbortController();
    const result = await backend.execute(compiled, { timeoutMs: 30_000, signal: controller.signal });
    if (ctx.argv.flags.output === 'json') ctx.out.result(JSON.stringify(result.rows, null, 2));
    else ctx.out.result(formatTable(result.columns, result.rows.map((r) => result.columns.map((c) => r[c])), 40));
    ctx.out.info(`${result.rows.length} rows in ${result.elapsedMs.toFixed(0)} ms`);
    return 0;
  } finally {
    await backend.close();
  }
}
