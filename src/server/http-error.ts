// An error the server answers with its own status and one line (never a stack trace).

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra response headers (e.g. Retry-After on 503). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
