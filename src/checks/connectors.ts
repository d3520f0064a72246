import type { Finding, OutcomeStatus } from '../domain/outcome';
import { RESOLUTION_OPEN, STREAM_TYPE_INPUT, type CloudAppsAlert } from '../cloud-apps/types';
import type { Check, CheckContext } from './check';
import type { CheckDeps } from './check-deps';
import { NotConfiguredError } from '../net/errors';
import { LINKS } from './links';
import { DAY_MS, HOUR_MS, OutcomeBuilder, neverThrow, plural, statusFromFindings, worstStatus } from './outcome-builder';

/**
 * Item 2, "Check app connectors, log collectors, and SIEM agent health" (cloud-apps-apis.md §3.2-3.7). Parts:
 *   system alerts (7 days)  pass none · warn all closed · fail any open
 *   log collectors          pass data < 24 h and failed-file count not grown · warn 24-48 h or grown · fail > 48 h / never
 *   own app credentials     pass > 30 days · warn < 30 days · fail expired
 *   app connectors          via CloudAppEvents (ThreatHunting.Read.All): pass < 24 h · warn 24-72 h · fail > 72 h or
 *                           an expected connector missing; without the permission: manual with the link
 *   CAAC apps, SIEM agents, API tokens: no API for their state; always a person's look (link and reason), and they
 *                           do not lower the status.
 * The item's status is the worst of the first four parts.
 */

const MEMORY_FAILS = 'connectors:logFilesFailsCount';

/** One query for both proxies: freshness per app of connector and access/session-control events (§3.3, §3.4). */
export const CONNECTOR_HUNTING_QUERY = [
  'CloudAppEvents',
  '| where Timestamp > ago(7d)',
  '| where AuditSource in ("Defender for Cloud Apps app connector", "Defender for Cloud Apps access control", "Defender for Cloud Apps session control")',
  '| summarize LastEvent = max(Timestamp), Events = count() by AuditSource, Application, ApplicationId, AppInstanceId',
].join('\n');

interface Part {
  name: string;
  status: OutcomeStatus;
  /** Short phrase for the one-line summary; empty when the part is fine. */
  phrase: string;
  /** When the part could not run: what to do (grant X, set Y). */
  remedy?: string;
}

const hours = (ms: number) => Math.round(ms / HOUR_MS);
const isSystemAlert = (a: CloudAppsAlert) => a.isSystemAlert === true || /system alert/i.test(a.title);

export function createConnectorsCheck(deps: CheckDeps): Check {
  async function alertsPart(b: OutcomeBuilder): Promise<Part> {
    try {
      const listed = await deps.cloudApps.listAlerts(7);
      const system = listed.items.filter(isSystemAlert);
      b.ok('cloud-apps', listed.request, { pages: listed.pages, items: listed.items.length, ids: system.map((a) => a._id), note: `${system.length} system alerts` });
      // An alert without a resolution status is treated as open: better a false alarm than a missed failure.
      const open = system.filter((a) => (a.resolutionStatusValue ?? RESOLUTION_OPEN) === RESOLUTION_OPEN);
      const findings: Finding[] = system.map((a) => {
        const isOpen = open.includes(a);
        const when = a.timestamp ? utcMinute(a.timestamp) : 'unknown time';
        return {
          title: `${isOpen ? 'Open' : 'Closed'} system alert: ${a.title}`,
          detail: `${when}${a.description && a.description !== a.title ? ` · ${a.description}` : ''}`,
          severity: isOpen ? 'high' : 'low',
          link: a.URL || LINKS.alertsQueue,
        };
      });
      b.add(...findings);
      const status: OutcomeStatus = open.length ? 'fail' : system.length ? 'warn' : 'pass';
      return {
        name: 'systemAlerts',
        status,
        phrase: open.length ? plural(open.length, 'open system alert') : system.length ? `${plural(system.length, 'closed system alert')} this week` : '',
      };
    } catch (e) {
      const m = b.failed('cloud-apps', 'POST /api/v1/alerts/', e);
      b.add({ title: 'System alerts not checked', detail: m.summary, severity: 'info', link: LINKS.alertsQueue });
      return { name: 'systemAlerts', status: m.status, phrase: 'system alerts not checked', remedy: m.summary };
    }
  }

  async function logCollectorsPart(b: OutcomeBuilder, ctx: CheckContext): Promise<Part> {
    try {
      const listed = await deps.cloudApps.listDiscoveryStreams();
      // Non-snapshot INPUT streams are the ones log collectors and data sources feed (api-discovery-list-streams).
      const inputs = listed.items.filter((s) => s.streamType === STREAM_TYPE_INPUT && s.isManual !== true);
      b.ok('cloud-apps', listed.request, { pages: 1, items: listed.items.length, ids: inputs.map((s) => s._id) });
      const previous = (await ctx.memory.get<Record<string, number>>(MEMORY_FAILS)) ?? {};
      const findings: Finding[] = [];
      const current: Record<string, number> = {};
      for (const s of inputs) {
        const name = s.displayName || s._id;
        const fails = s.logFilesFailsCount ?? 0;
        current[s._id] = fails;
        const last = s.lastDataReceived ? Date.parse(s.lastDataReceived) : NaN;
        const age = ctx.now.getTime() - last;
        // The portal calls a collector "Disconnected" after 24 h without data (troubleshooting-cloud-discovery.md).
        if (Number.isNaN(last)) {
          findings.push({ title: `Log collector ${name} never received data`, detail: 'Deployment may be incomplete (status "Created").', severity: 'high', link: LINKS.autoLogUpload });
        } else if (age > 48 * HOUR_MS) {
          findings.push({ title: `Log collector ${name} silent for ${hours(age)} h`, detail: `Last data ${utcMinute(last)}; the portal shows it Disconnected.`, severity: 'high', link: LINKS.autoLogUpload });
        } else if (age > 24 * HOUR_MS) {
          findings.push({ title: `Log collector ${name} silent for ${hours(age)} h`, detail: `Last data ${utcMinute(last)}.`, severity: 'medium', link: LINKS.autoLogUpload });
        }
        const before = previous[s._id];
        if (before !== undefined && fails > before) {
          findings.push({
            title: `Log collector ${name}: ${fails - before} more failed log files`,
            detail: `Failed files grew from ${before} to ${fails} since the last run. Check failed parsing tasks in the governance log.`,
            severity: 'medium',
            link: LINKS.autoLogUpload,
          });
        }
      }
      await ctx.memory.put(MEMORY_FAILS, current);
      b.extra.logCollectors = inputs.map((s) => ({ id: s._id, name: s.displayName, lastDataReceived: s.lastDataReceived, logFilesFailsCount: s.logFilesFailsCount ?? 0, previousFailsCount: previous[s._id] ?? null }));
      if (!inputs.length) b.add({ title: 'No log collectors', detail: 'No automatic log upload stream is configured.', severity: 'info', link: LINKS.autoLogUpload });
      b.add(...findings);
      const status = statusFromFindings(findings);
      const stale = findings.filter((f) => f.title.includes('silent') || f.title.includes('never'));
      return {
        name: 'logCollectors',
        status,
        phrase: stale.length ? stale.map((f) => f.title.replace(/^Log collector /, 'log collector ')).join(', ') : findings.length ? 'log collector failed files grew' : '',
      };
    } catch (e) {
      const m = b.failed('cloud-apps', 'GET /api/discovery/streams/', e);
      b.add({ title: 'Log collectors not checked', detail: m.summary, severity: 'info', link: LINKS.autoLogUpload });
      return { name: 'logCollectors', status: m.status, phrase: 'log collectors not checked', remedy: m.summary };
    }
  }

  async function credentialsPart(b: OutcomeBuilder, ctx: CheckContext): Promise<Part> {
    const { appId, credentialKind } = deps.settings;
    if (credentialKind === 'managed-identity') {
      b.skipped('graph', 'GET /v1.0/applications', 'managed identity: no secret or certificate to expire');
      b.add({ title: 'Bot identity: managed identity', detail: 'A managed identity has no secret or certificate to renew.', severity: 'info' });
      return { name: 'ownCredentials', status: 'pass', phrase: '' };
    }
    try {
      // Without any identity the Graph stand-in names the variables; with one, only the app id can be missing.
      if (!appId && credentialKind) throw new NotConfiguredError('graph', 'The bot app id', ['AZURE_CLIENT_ID']);
      const read = await deps.graph.getApplicationCredentials(appId ?? '');
      const creds = [
        ...read.value.passwordCredentials.map((c) => ({ ...c, what: 'secret' })),
        ...read.value.keyCredentials.map((c) => ({ ...c, what: 'certificate' })),
      ];
      b.ok('graph', read.request, { items: creds.length, ids: creds.map((c) => c.keyId ?? '').filter(Boolean) });
      const findings: Finding[] = [];
      for (const c of creds) {
        if (!c.endDateTime) continue;
        const days = (Date.parse(c.endDateTime) - ctx.now.getTime()) / DAY_MS;
        const name = c.displayName ? `"${c.displayName}"` : (c.keyId ?? '').slice(0, 8);
        const link = LINKS.appCredentials(appId ?? '');
        if (days <= 0) {
          findings.push({ title: `App ${c.what} ${name} expired`, detail: `Expired ${c.endDateTime.slice(0, 10)}. Add a new one and update the bot's configuration.`, severity: 'high', link });
        } else if (days < 30) {
          findings.push({
            title: `App ${c.what} ${name} expires in ${plural(Math.ceil(days), 'day')}`,
            detail: `Ends ${c.endDateTime.slice(0, 10)}. Add a new ${c.what}, update ${c.what === 'secret' ? 'AZURE_CLIENT_SECRET' : 'AZURE_CLIENT_CERTIFICATE_PATH'}, then remove the old one.`,
            severity: 'medium',
            link,
          });
        }
      }
      b.extra.ownCredentials = creds.map((c) => ({ type: c.what, keyId: c.keyId, endDateTime: c.endDateTime }));
      b.add(...findings);
      return { name: 'ownCredentials', status: statusFromFindings(findings), phrase: findings.map((f) => f.title.replace(/^App/, 'app')).join(', ') };
    } catch (e) {
      const m = b.failed('graph', 'GET /v1.0/applications(appId=…)', e);
      b.add({ title: 'Bot credential expiry not checked', detail: m.summary, severity: 'info', link: appId ? LINKS.appCredentials(appId) : undefined });
      return { name: 'ownCredentials', status: m.status, phrase: 'credential expiry not checked', remedy: m.summary };
    }
  }

  async function huntingParts(b: OutcomeBuilder, ctx: CheckContext): Promise<{ connectors: Part; caac: Part }> {
    try {
      const read = await deps.graph.runHuntingQuery(CONNECTOR_HUNTING_QUERY, 'P7D');
      const rows = read.value.results;
      b.ok('graph', read.request, { items: rows.length, note: 'CloudAppEvents by AuditSource/Application' });
      const connectorRows = rows.filter((r) => String(r.AuditSource) === 'Defender for Cloud Apps app connector');
      const caacRows = rows.filter((r) => /access control|session control/.test(String(r.AuditSource)));

      const findings: Finding[] = [];
      for (const r of connectorRows) {
        const age = ctx.now.getTime() - Date.parse(String(r.LastEvent));
        const app = String(r.Application);
        if (age > 72 * HOUR_MS) findings.push({ title: `App connector ${app}: no events for ${hours(age)} h`, detail: `Last event ${utcMinute(String(r.LastEvent))}.`, severity: 'high', link: LINKS.appConnectors });
        else if (age > 24 * HOUR_MS) findings.push({ title: `App connector ${app}: no events for ${hours(age)} h`, detail: `Last event ${utcMinute(String(r.LastEvent))}.`, severity: 'medium', link: LINKS.appConnectors });
      }
      const seen = (want: string) =>
        connectorRows.some((r) => String(r.Application).toLowerCase() === want.toLowerCase() || String(r.ApplicationId) === want);
      for (const want of deps.settings.expectedAppConnectors) {
        if (!seen(want)) findings.push({ title: `App connector ${want}: no events in 7 days`, detail: 'The connector is expected (EXPECTED_APP_CONNECTORS) but sent nothing: it may be disconnected or removed.', severity: 'high', link: LINKS.appConnectors });
      }
      b.extra.appConnectors = connectorRows.map((r) => ({ application: r.Application, applicationId: r.ApplicationId, lastEvent: r.LastEvent, events: r.Events }));
      b.add(...findings);
      let status = statusFromFindings(findings);
      if (!connectorRows.length && !deps.settings.expectedAppConnectors.length) {
        status = 'manual';
        b.add({ title: 'No app connector activity seen', detail: 'No connector events in 7 days. If apps are connected, check their status in the portal; set EXPECTED_APP_CONNECTORS to have them checked.', severity: 'info', link: LINKS.appConnectors });
      }
      b.add({
        title: 'Conditional Access App Control apps: confirm in the portal',
        detail: `Onboarding state has no API. ${caacRows.length ? `Traffic in 7 days: ${caacRows.map((r) => String(r.Application)).join(', ')}.` : 'No access/session-control traffic in 7 days.'} Settings > Cloud apps > Connected apps > Conditional Access App Control apps.`,
        severity: 'info',
        link: LINKS.caacApps,
      });
      b.extra.caacTraffic = caacRows.map((r) => ({ application: r.Application, auditSource: r.AuditSource, lastEvent: r.LastEvent }));
      return {
        connectors: { name: 'appConnectors', status, phrase: findings.map((f) => f.title.replace(/^App/, 'app')).join(', ') },
        caac: { name: 'caacApps', status: 'manual', phrase: '' },
      };
    } catch (e) {
      const m = b.failed('graph', 'POST /v1.0/security/runHuntingQuery', e);
      b.add(
        { title: 'App connectors: check in the portal', detail: `${m.summary}. Until then, confirm each connector shows "Connected".`, severity: 'info', link: LINKS.appConnectors },
        { title: 'Conditional Access App Control apps: check in the portal', detail: 'Settings > Cloud apps > Connected apps > Conditional Access App Control apps.', severity: 'info', link: LINKS.caacApps },
      );
      return { connectors: { name: 'appConnectors', status: m.status, phrase: 'app connectors need a manual look', remedy: m.summary }, caac: { name: 'caacApps', status: 'manual', phrase: '' } };
    }
  }

  return {
    id: 'connectors',
    title: 'App connectors, log collectors, SIEM agents and API tokens',
    aliases: ['connectors'],
    run: (ctx) =>
      neverThrow('connectors', ctx, deps.settings, async () => {
        const b = new OutcomeBuilder('connectors', ctx, deps.settings);
        const [alerts, collectors, creds, hunting] = await Promise.all([alertsPart(b), logCollectorsPart(b, ctx), credentialsPart(b, ctx), huntingParts(b, ctx)]);
        b.add(
          {
            title: 'SIEM agents: check in the portal',
            detail: 'No supported API. SIEM agents are deprecated from November 2025: migrate any that remain; connection failures raise system alerts (above).',
            severity: 'info',
            link: LINKS.siemAgents,
          },
          {
            title: 'API tokens: review in the portal',
            detail: 'No API lists them. Revoke Inactive or Generated tokens and those of deprovisioned users.',
            severity: 'info',
            link: LINKS.apiTokens,
          },
        );
        const parts = [alerts, collectors, creds, hunting.connectors];
        b.extra.parts = Object.fromEntries([...parts, hunting.caac, { name: 'siemAgents', status: 'manual' }, { name: 'apiTokens', status: 'manual' }].map((p) => [p.name, p.status]));
        // Order findings worst first so a card that shows only the first few shows what matters.
        const rank = { high: 0, medium: 1, low: 2, info: 3 } as const;
        b.findings.sort((x, y) => rank[x.severity] - rank[y.severity]);
        const status = worstStatus(parts.map((p) => p.status));
        const phrases = parts.map((p) => p.phrase).filter(Boolean);
        const remedies = [...new Set(parts.map((p) => p.remedy).filter((r): r is string => !!r))];
        const summary =
          status === 'pass'
            ? 'No system alerts, log collectors current, app credentials valid, connectors active. SIEM agents and API tokens: check in the portal.'
            : `${phrases.join('; ')}.${remedies.length ? ` ${remedies.map((r) => r.replace(/[.\s]*$/, '.')).join(' ')}` : ''} SIEM agents and API tokens: check in the portal.`.replace(
                /^./,
                (c) => c.toUpperCase(),
              );
        return b.finish(status, summary);
      }),
  };
}

/** "2026-12-01 00:27 UTC": readable in a finding, unambiguous across the team's time zones. */
function utcMinute(at: string | number | Date): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? String(at) : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
