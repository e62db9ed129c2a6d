/** An error the server answers as JSON: `{error: {code, message, issues?}}` with an HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: { code: string; message: string; path: string; hint?: string }[],
  ) {
    super(message);
  }

  toJSON(): Record<string, unknown> {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
  }
}
