import type { NetError } from '../net/errors';
import type { SendOptions } from '../net/http-sender';

/**
 * Per-request side channel between the Graph reader and the transport middleware. The Graph SDK wraps any error
 * thrown inside its middleware chain into a GraphError and drops the original (GraphRequest.send →
 * GraphErrorHandler.getError keeps only the message), so the transport records the typed error here instead.
 * Passed with GraphRequest.middlewareOptions(); the SDK keys options by constructor (MiddlewareControl).
 */
export class RequestTrace {
  error?: NetError;
  attempts = 0;
  constructor(readonly send: SendOptions = {}) {}
}
