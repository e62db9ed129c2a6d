/**
 * A language model that turns a question into a spec. The server keeps the
 * model at arm's length: its answer is parsed and validated like any client
 * input, and retried with the validator's errors.
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LanguageModel {
  readonly name: string;
  complete(messages: ChatMessage[], signal?: AbortSignal): Promise<string>;
}
