// Errors caused by the user's input or environment: shown as one clear line, never a stack trace.
export class UserError extends Error {
  constructor(
    message: string,
    /** Process exit code (2 = usage/input error). */
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = "UserError";
  }
}
