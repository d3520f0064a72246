import express, { type Request, type Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from './logger';
import type { WeeklyService } from './services/weekly';
import type { ExportService } from './services/export';

/**
 * HTTP routes that are not Bot Framework traffic:
 * - POST /api/jobs/post-checklist and /api/jobs/remind, for hosts that bring their own timer (Azure Functions,
 *   Logic Apps): `Authorization: Bearer <JOB_SECRET>`, compared in constant time. Off (404) without JOB_SECRET.
 * - GET /api/exports/:token, the signed CSV download behind the `export` command.
 */
export function mountJobRoutes(
  app: express.Express,
  deps: { logger: Logger; jobSecret?: string; weekly: WeeklyService; exports: ExportService },
): void {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  const authorized = (req: Request): boolean => {
    if (!deps.jobSecret) return false;
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    // Hash both sides so the comparison is constant-time whatever the lengths.
    return !!m && timingSafeEqual(digest(m[1].trim()), digest(deps.jobSecret));
  };

  const job = (name: string, run: () => Promise<unknown>) => async (req: Request, res: Response) => {
    if (!deps.jobSecret) {
      res.status(404).json({ error: 'Job endpoints are off: set JOB_SECRET to enable them.' });
      return;
    }
    if (!authorized(req)) {
      deps.logger.warn({ job: name, ip: req.ip }, 'job request refused: missing or wrong secret');
      res.status(401).json({ error: 'Unauthorized: send Authorization: Bearer <JOB_SECRET>.' });
      return;
    }
    const result = await run();
    res.status(200).json({ job: name, result });
  };

  app.post('/api/jobs/post-checklist', job('post-checklist', () => deps.weekly.postAll()));
  app.post('/api/jobs/remind', job('remind', () => deps.weekly.remindAll()));

  app.get('/api/exports/:token', async (req: Request, res: Response) => {
    const v = deps.exports.verifyToken(String(req.params.token));
    if (!v.ok) {
      res
        .status(v.reason === 'expired' ? 410 : 403)
        .type('text/plain')
        .send(v.reason === 'expired' ? 'This export link has expired. Type "export" in Teams for a new one.' : 'This export link is not valid.');
      return;
    }
    const csv = await deps.exports.csv(v.targetId);
    res
      .status(200)
      .setHeader('Content-Disposition', `attachment; filename="rounds-audit-${new Date().toISOString().slice(0, 10)}.csv"`)
      .setHeader('Cache-Control', 'no-store')
      .type('text/csv; charset=utf-8')
      .send(csv);
  });
}
