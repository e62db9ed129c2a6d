import { describe, expect, it } from 'vitest';
import { askModel } from '../../src/serve/nl/ask-model.js';
import type { ChatMessage, LanguageModel } from '../../src/serve/nl/language-model.js';
import { CATALOG } from './pr-backend.js';

/** A language model that answers from a script and records what it was asked. */
class ScriptedModel implements LanguageModel {
  readonly name = 'scripted';
  readonly asked: ChatMessage[][] = [];
  constructor(private readonly answers: string[]) {}
  async complete(messages: ChatMessage[]): Promise<string> {
    this.asked.push(messages.map((m) => ({ ...m })));
    return this.answers.shift() ?? '{}';
  }
}

describe('questions through a language model', () => {
  it('puts the catalog and the saved queries (as few-shot examples) in the prompt', async () => {
    const model = new ScriptedModel(['{"metrics": ["prs_merged"], "group_by": [{"field": "metric_time", "interval": "week"}]}']);
    const r = await askModel('weekly merges', CATALOG, model, { min: 1, max: 1000 });
    expect(r).toMatchObject({ spec: { metrics: ['prs_merged'] }, attempts: 1, issues: [] });
    const [system, shotQ, shotA, question] = model.asked[0]!;
    expect(system!.content).toContain('- prs_merged: PRs merged. Pull requests merged');
    expect(system!.content).toContain('- metric_time (time; grains day, week, month, quarter, year)');
    expect([shotQ, shotA]).toEqual([{ role: 'user', content: 'PRs merged per week' }, { role: 'assistant', content: '{"metrics":["prs_merged"],"group_by":[{"field":"metric_time","interval":"week"}]}' }]);
    expect(question).toEqual({ role: 'user', content: 'weekly merges' });
  });

  it("sends an invalid answer back with the validator's errors, and succeeds on a corrected one", async () => {
    const model = new ScriptedModel(['not json', '{"metrics": ["prs_merge"]}', '{"metrics": ["prs_merged"], "limit": 5}']);
    const r = await askModel('merges', CATALOG, model, { min: 1, max: 1000 });
    expect(r.attempts).toBe(3);
    expect(r.spec).toEqual({ metrics: ['prs_merged'], limit: 5 });
    const last = model.asked[2]!;
    expect(last.at(-1)!.content).toContain('"code":"METRIC_UNKNOWN"');
    expect(last.at(-1)!.content).toContain("Did you mean 'prs_merged'?");
    expect(model.asked[1]!.at(-1)!.content).toContain('"code":"MODEL_ANSWER_INVALID"');
  });

  it('fails with the last errors after three invalid answers', async () => {
    const model = new ScriptedModel(['{"metrics": ["nope"]}', '{"metrics": ["nope"]}', '{"metrics": ["nope"]}', '{"metrics": ["prs_merged"]}']);
    const r = await askModel('merges', CATALOG, model, { min: 1, max: 1000 });
    expect(r.spec).toBeNull();
    expect(r.attempts).toBe(3);
    expect(r.issues.map((i) => i.code)).toEqual(['METRIC_UNKNOWN']);
    expect(r.explanation).toBe('scripted gave no valid spec in 3 attempts.');
    expect(model.asked).toHaveLength(3);
  });
});

describe('the OpenAI-compatible provider', () => {
  it('posts the chat to {base}/chat/completions with the key and reads the answer (a server on 127.0.0.1)', async () => {
    const { createServer } = await import('node:http');
    const { OpenAiModel } = await import('../../src/serve/nl/openai-model.js');
    const seen: { url?: string; auth?: string; body?: any } = {};
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        Object.assign(seen, { url: req.url, auth: req.headers.authorization, body: JSON.parse(body) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { content: '{"metrics": ["prs_merged"]}' } }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const model = OpenAiModel.fromEnv({ TSDBT_LLM_BASE_URL: `http://127.0.0.1:${port}/v1`, TSDBT_LLM_MODEL: 'small', TSDBT_LLM_API_KEY: 'k-1' })!;
      expect(await model.complete([{ role: 'user', content: 'hi' }])).toBe('{"metrics": ["prs_merged"]}');
      expect(seen).toMatchObject({ url: '/v1/chat/completions', auth: 'Bearer k-1', body: { model: 'small', temperature: 0, messages: [{ role: 'user', content: 'hi' }] } });
      expect(OpenAiModel.fromEnv({})).toBeUndefined();
    } finally {
      server.close();
    }
  });
});
