import type { Request, Response } from 'express';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Application, TurnState } from '@microsoft/teams-ai';

/**
 * The /api/messages handler. TeamsAdapter.process needs an express-style response (res.status/header/send);
 * with a bare node:http response it silently does nothing (../shared/reference/tooling.md).
 * Authentication failures surface from botbuilder as errors with statusCode 401.
 */
export function createMessagesHandler(adapter: TeamsAdapter, app: Application<TurnState>) {
  return async (req: Request, res: Response): Promise<void> => {
    await adapter.process(req as never, res as never, async (context) => {
      await app.run(context);
    });
  };
}
