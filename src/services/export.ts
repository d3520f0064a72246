import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Target } from '../domain/records';
import type { ServiceDeps } from './context';

/**
 * `export`: the audit trail of one conversation as CSV, delivered as a short-lived signed download link served by
 * the bot (a Teams channel bot cannot attach a file to a channel message without SharePoint access).
 * The link is a capability: anyone holding it can download until it expires (EXPORT_LINK_TTL_MINUTES).
 */
export class ExportService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly signingKey: Buffer,
    private readonly ttlMs: number,
  ) {}

  private sign(payload: string): string {
    return createHmac('sha256', this.signingKey).update(payload).digest('base64url');
  }

  createToken(target: Target): { token: string; expiresAt: Date } {
    const expiresAt = new Date(this.deps.clock.now().getTime() + this.ttlMs);
    const payload = Buffer.from(JSON.stringify({ t: target.id, e: expiresAt.getTime() })).toString('base64url');
    return { token: `${payload}.${this.sign(payload)}`, expiresAt };
  }

  /** The target id a token grants, or why not. */
  verifyToken(token: string): { ok: true; targetId: string } | { ok: false; reason: 'invalid' | 'expired' } {
    const [payload, sig, extra] = String(token).split('.');
    if (!payload || !sig || extra !== undefined || payload.length > 2000) return { ok: false, reason: 'invalid' };
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
    let body: { t?: unknown; e?: unknown };
    try {
      body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    if (typeof body.t !== 'string' || typeof body.e !== 'number') return { ok: false, reason: 'invalid' };
    if (body.e < this.deps.clock.now().getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, targetId: body.t };
  }

  async csv(targetId: string): Promise<string> {
    const { store, checklist } = this.deps;
    const events = await store.listAudit({ targetId });
    const titles = new Map(checklist.items.map((i) => [i.id, i.title]));
    const rows = [['period', 'item_id', 'item', 'user_id', 'user', 'action', 'time_utc', 'evidence_status', 'evidence_summary']];
    for (const e of events) {
      rows.push([
        e.periodKey,
        e.itemId,
        titles.get(e.itemId) ?? e.itemId,
        e.userId,
        e.userName,
        e.action,
        e.at,
        e.evidence?.status ?? '',
        e.evidence ? `${e.evidence.label}: ${e.evidence.summary}` : '',
      ]);
    }
    return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  }
}

/**
 * RFC 4180 quoting, plus a leading apostrophe on cells a spreadsheet would run as a formula (=, +, -, @, tab, CR):
 * display names are user-controlled. https://owasp.org/www-community/attacks/CSV_Injection
 */
export function csvCell(value: string): string {
  let v = String(value ?? '');
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n']/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
