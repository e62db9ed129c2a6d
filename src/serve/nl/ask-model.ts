import { translateSpec, type AnalyticsSpec, type LimitRange } from '../analytics-spec.js';
import type { Catalog, QueryIssue } from '../backend.js';
import type { ChatMessage, LanguageModel } from './language-model.js';
import type { ParsedQuestion } from './question-parser.js';

/**
 * Ask a language model for a spec: the catalog and few-shot examples from the
 * project's saved queries go in the prompt; the answer is validated like any
 * client's; an invalid answer is sent back with the errors, up to `attempts`
 * times, after which the last errors are the answer.
 */
export async function askModel(question: string, catalog: Catalog, model: LanguageModel, limits: LimitRange, attempts = 3): Promise<ParsedQuestion & { issues: QueryIssue[]; attempts: number }> {
  const messages: ChatMessage[] = [
    { role: 'system', content: systemPrompt(catalog) },
    ...fewShots(catalog),
    { role: 'user', content: question },
  ];
  let issues: QueryIssue[] = [];
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const answer = await model.complete(messages);
    let spec: AnalyticsSpec | undefined;
    try {
      spec = JSON.parse(answer) as AnalyticsSpec;
      if (spec === null || typeof spec !== 'object' || !Array.isArray(spec.metrics)) throw new Error('no metrics array');
      issues = translateSpec(spec, catalog, limits).issues;
    } catch (e) {
      issues = [{ code: 'MODEL_ANSWER_INVALID', message: `The answer is not a spec: ${(e as Error).message}`, path: '/' }];
    }
    if (issues.length === 0 && spec) {
      return { spec, explanation: `Answered by ${model.name}.`, matched: [], unmatched: [], issues: [], attempts: attempt };
    }
    messages.push({ role: 'assistant', content: answer }, { role: 'user', content: `That spec is invalid: ${JSON.stringify(issues)}. Answer with a corrected JSON spec only.` });
  }
  return { spec: null, explanation: `${model.name} gave no valid spec in ${attempts} attempts.`, matched: [], unmatched: [], issues, attempts };
}

function systemPrompt(catalog: Catalog): string {
  const metrics = catalog.metrics.map((m) => `- ${m.name}: ${m.label}. ${m.description}`).join('\n');
  const dims = catalog.dimensions.map((d) => `- ${d.name} (${d.type}${d.granularities.length ? `; grains ${d.granularities.join(', ')}` : ''})`).join('\n');
  return [
    'Turn the question into a JSON analytics spec: {"metrics": [...], "group_by": [{"field", "interval"?}], "filters": [{"field", "op", "values"}], "sort_by": [{"field", "direction"}], "dates": {"start", "end"}, "limit"}.',
    'Answer with the JSON object only. Use only these metrics and dimensions.',
    `Metrics:\n${metrics}`,
    `Dimensions:\n${dims}`,
  ].join('\n\n');
}

function fewShots(catalog: Catalog): ChatMessage[] {
  return catalog.savedQueries.slice(0, 5).flatMap((s) => {
    const spec: AnalyticsSpec = {
      metrics: s.query.metrics,
      group_by: s.query.groupBy.map((g) => {
        const m = /^(.*)__(day|week|month|quarter|year)$/.exec(g);
        return m ? { field: m[1]!, interval: m[2]! } : { field: g };
      }),
      ...(s.query.limit !== undefined ? { limit: s.query.limit } : {}),
    };
    return [
      { role: 'user' as const, content: s.description || s.label || s.name },
      { role: 'assistant' as const, content: JSON.stringify(spec) },
    ];
  });
}
