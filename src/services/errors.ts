/**
 * Coded errors services return to routes. Each carries what to tell the user; routes render it.
 * Never include secrets or stack traces in `userMessage`.
 */
export type ServiceErrorCode =
  | 'unknown-post'
  | 'unknown-item'
  | 'wrong-conversation'
  | 'stale-card'
  | 'invalid-card-data'
  | 'not-allowed'
  | 'not-in-channel'
  | 'unknown-check'
  | 'bad-argument'
  | 'no-target';

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    readonly userMessage: string,
    readonly hint: string,
  ) {
    super(`${code}: ${userMessage}`);
  }
}
