import express, { type NextFunction, type Request, type Response } from 'express';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { scrubSecrets, type Logger } from './logger';

export interface HttpDeps {
  logger: Logger;
  maxBodyBytes: number;
  handleMessages(req: Request, res: Response): Promise<void>;
  health(): Promise<Record<string, unknown>>;
  /** Extra routes (jobs, downloads) mounted by the composition root. */
  mount?: (app: express.Express) => void;
}

/**
 * HTTP: POST /api/messages, GET /healthz, plus mounted routes. Thin: parse, hand over, answer. Malformed JSON is
 * a 400, oversize bodies 413, and no stack trace ever reaches the caller.
 */
export function createHttpApp(deps: HttpDeps) {
  const app = express();
  app.disable('x-powered-by');
  // No ETags: every invoke answer is a fresh card, and hashing each ~10 KB body cost a visible share of an ack.
  app.set('etag', false);
  let inFlight = 0;
  let idle: (() => void) | undefined;

  app.use((req, res, next) => {
    inFlight++;
    res.on('close', () => {
      inFlight--;
      if (inFlight === 0) idle?.();
    });
    next();
  });

  app.get('/healthz', async (_req, res) => {
    res.status(200).json({ status: 'ok', ...(await deps.health()) });
  });

  app.post('/api/messages', express.json({ limit: deps.maxBodyBytes, type: () => true }), async (req, res, next) => {
    if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body) || typeof req.body.type !== 'string') {
      res.status(400).json({ error: 'The body must be a Bot Framework activity (a JSON object with a "type").' });
      return;
    }
    try {
      await deps.handleMessages(req, res);
    } catch (err) {
      next(err);
    }
  });

  deps.mount?.(app);

  app.use((_req, res) => {
    res.status(404).json({ error: 'Not found' });
  });

  // express 5 error handler: body-parser errors carry a status; everything else is a 500 without details.
  // No error message, stack or SDK text ever goes back to the caller.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { status?: number; statusCode?: number; type?: string; reason?: string; expose?: boolean };
    const status = e.status ?? e.statusCode ?? 500;
    if (res.headersSent) {
      deps.logger.warn({ path: req.path, status }, 'request failed after the answer was sent');
      return;
    }
    const fields = (err as { fields?: unknown }).fields;
    if (status === 400 && Array.isArray(fields)) {
      deps.logger.warn({ path: req.path, fields }, 'malformed activity refused');
      res.status(400).json({ error: 'The activity has fields of the wrong type or size.' });
      return;
    }
    if (e.type === 'entity.parse.failed' || status === 400) {
      res.status(400).json({ error: 'Malformed JSON.' });
      return;
    }
    if (status === 413 || e.type === 'entity.too.large') {
      res.status(413).json({ error: 'Request body too large.' });
      return;
    }
    if (status === 401 || status === 403) {
      deps.logger.warn({ path: req.path, status, reason: e.reason ? scrubSecrets(e.reason) : undefined }, 'request refused: authentication failed');
      res.status(401).json({ error: 'Unauthorized.' });
      return;
    }
    if (status === 503) {
      deps.logger.error({ path: req.path, reason: e.reason ? scrubSecrets(e.reason) : undefined }, 'request refused: authentication unavailable');
      res.status(503).json({ error: 'Temporarily unavailable.' });
      return;
    }
    // Other client errors body-parser raises (415 unsupported charset or encoding, 400-class).
    if (status >= 400 && status < 500 && e.expose) {
      res.status(status).json({ error: 'Bad request.' });
      return;
    }
    const reference = randomUUID().slice(0, 8);
    deps.logger.error({ err, path: req.path, reference }, 'request failed');
    res.status(500).json({ error: 'Internal error.', reference });
  });

  return {
    app,
    /** Resolves when no request is in flight. */
    whenIdle(): Promise<void> {
      if (inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => {
        idle = resolve;
      });
    },
  };
}

export function listen(app: express.Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
    server.on('error', reject);
  });
}
