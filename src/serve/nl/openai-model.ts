import type { ChatMessage, LanguageModel } from './language-model.js';

export interface OpenAiModelOptions {
  /** e.g. `http://127.0.0.1:8000/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
}

/** An OpenAI-compatible chat completions endpoint, through undici (loaded only when used). */
export class OpenAiModel implements LanguageModel {
  readonly name: string;
  constructor(private readonly opts: OpenAiModelOptions) {
    this.name = `openai:${opts.model}`;
  }

  /** From TSDBT_LLM_BASE_URL, TSDBT_LLM_MODEL and TSDBT_LLM_API_KEY; undefined when no base URL is set. */
  static fromEnv(env: Record<string, string | undefined>): OpenAiModel | undefined {
    if (!env.TSDBT_LLM_BASE_URL) return undefined;
    return new OpenAiModel({ baseUrl: env.TSDBT_LLM_BASE_URL, model: env.TSDBT_LLM_MODEL ?? 'gpt-4o-mini', apiKey: env.TSDBT_LLM_API_KEY });
  }

  async complete(messages: ChatMessage[], signal?: AbortSignal): Promise<string> {
    const { request } = await import('undici');
    const res = await request(`${this.opts.baseUrl.replace(/\/$/, '')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}) },
      body: JSON.stringify({ model: this.opts.model, messages, temperature: 0, response_format: { type: 'json_object' } }),
      signal: signal ?? AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
    });
    const text = await res.body.text();
    if (res.statusCode >= 400) throw new Error(`The language model answered HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
    const body = JSON.parse(text) as { choices?: { message?: { content?: string } }[] };
    const content = body.choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw new Error('The language model answered without a message.');
    return content;
  }
}
