/** Errors that reach the edge carry an HTTP status and a stable code (the code doubles as an i18n key). */
export abstract class AppError extends Error {
  abstract readonly status: number;
  constructor(
    readonly code: string,
    readonly details: Record<string, unknown> = {},
    opts?: { cause?: unknown; message?: string },
  ) {
    super(opts?.message ?? code, opts?.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
  }
}

/** Bad input. `fields` maps a form field name to a message a person can act on. */
export class ValidationError extends AppError {
  readonly status = 422;
  constructor(
    code: string,
    readonly fields: Record<string, string>,
    message?: string,
  ) {
    super(code, { fields }, message === undefined ? {} : { message });
  }
}
/** Bad input to a JSON API, which answers 400 with a code (forms answer 422 with ValidationError). */
export class BadRequestError extends AppError {
  readonly status = 400;
}
export class UnauthorizedError extends AppError {
  readonly status = 401;
}
export class ForbiddenError extends AppError {
  readonly status = 403;
}
export class NotFoundError extends AppError {
  readonly status = 404;
}
export class ConflictError extends AppError {
  readonly status = 409;
}
export class PayloadTooLargeError extends AppError {
  readonly status = 413;
}
export class TooManyRequestsError extends AppError {
  readonly status = 429;
  constructor(
    code: string,
    readonly retryAfterSeconds: number,
    message?: string,
  ) {
    super(code, { retryAfterSeconds }, message === undefined ? {} : { message });
  }
}
export class FreeswitchUnavailableError extends AppError {
  readonly status = 503;
}
export class FreeswitchCommandError extends AppError {
  readonly status = 502;
}

/** A fault that stops boot: printed as one clear line and the process exits non-zero. */
export class BootError extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = 'BootError';
  }
}
export class FreeswitchTimeoutError extends AppError {
  readonly status = 504;
}
