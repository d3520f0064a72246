import type { Finding } from '../domain/outcome';
import type { ControlProfile, ControlScore, SecureScore } from '../graph/types';
import type { Check } from './check';
import type { CheckDeps } from './check-deps';
import { LINKS } from './links';
import { DAY_MS, OutcomeBuilder, neverThrow, plural, shortDate, statusFromFindings } from './outcome-builder';

/**
 * Item 1, "Review SSPM": Secure Score recommendations for Defender for Cloud Apps (service MCAS) and the SaaS apps
 * it assesses (service MDA_*), joined controlScores[].controlName → secureScoreControlProfiles.id
 * (cloud-apps-apis.md §3.1). Rules, from the reference's table:
 *   pass  every such control in today's score is at 100 % or marked Ignored/ThirdParty/Reviewed
 *   warn  an open control (below 100 %, state Default), or a product's score dropped against a week ago
 *   fail  no MDA_* control although app connectors are expected, or a high-maxScore control regressed
 */

/** Marks a person made in the portal that settle a control (securescorecontrolprofile controlStateUpdates). */
const SETTLED_STATES = new Set(['ignored', 'thirdparty', 'reviewed']);
/** "High maxScore": our threshold; Secure Score controls are worth 1-10 points, the heaviest few 8 or more. */
export const HIGH_MAX_SCORE = 8;

const PRODUCT_NAMES: Record<string, string> = {
  MCAS: 'Defender for Cloud Apps',
  MDA_SF: 'Salesforce',
  MDA_SNOW: 'ServiceNow',
  MDA_GitHub: 'GitHub',
  MDA_Zendesk: 'Zendesk',
  MDA_CitrixSF: 'Citrix ShareFile',
  MDA_Atlassian: 'Atlassian',
  MDA_Zoom: 'Zoom',
  MDA_Okta: 'Okta',
  MDA_DocuSign: 'DocuSign',
  MDA_Dropbox: 'Dropbox',
  MDA_Google: 'Google Workspace',
  MDA_NetDocuments: 'NetDocuments',
  MDA_Workplace: 'Workplace from Meta',
};
export const productName = (service: string) => PRODUCT_NAMES[service] ?? service;
const isSspmService = (s: string | null | undefined): s is string => !!s && (s === 'MCAS' || s.startsWith('MDA_'));

function stateOf(p: ControlProfile): string {
  const updates = p.controlStateUpdates ?? [];
  return updates.length ? (updates[updates.length - 1]!.state ?? 'Default') : 'Default';
}

function percentOf(c: ControlScore, p: ControlProfile): number {
  if (typeof c.scoreInPercentage === 'number') return c.scoreInPercentage;
  if (typeof c.score === 'number' && p.maxScore) return (c.score / p.maxScore) * 100;
  return 0;
}

interface ProductTotals {
  service: string;
  controls: number;
  open: number;
  score: number;
  maxScore: number;
}

function totals(score: SecureScore | undefined, profiles: Map<string, ControlProfile>): Map<string, ProductTotals> {
  const out = new Map<string, ProductTotals>();
  for (const c of score?.controlScores ?? []) {
    const p = profiles.get(c.controlName);
    if (!p || !isSspmService(p.service) || p.deprecated) continue;
    const t = out.get(p.service) ?? { service: p.service, controls: 0, open: 0, score: 0, maxScore: 0 };
    t.controls++;
    t.score += c.score ?? 0;
    t.maxScore += p.maxScore ?? 0;
    out.set(p.service, t);
  }
  return out;
}

/** The snapshot closest to seven days before the latest (scores are daily, newest first). */
function weekBefore(scores: SecureScore[]): SecureScore | undefined {
  const latest = scores[0];
  if (!latest || scores.length < 2) return undefined;
  const target = Date.parse(latest.createdDateTime) - 7 * DAY_MS;
  return scores.slice(1).reduce((best, s) =>
    Math.abs(Date.parse(s.createdDateTime) - target) < Math.abs(Date.parse(best.createdDateTime) - target) ? s : best,
  );
}

const pct = (score: number, max: number) => (max > 0 ? Math.round((score / max) * 1000) / 10 : 0);

export function createSspmCheck(deps: CheckDeps): Check {
  return {
    id: 'sspm',
    title: 'Secure Score recommendations for Defender for Cloud Apps and connected SaaS apps',
    aliases: ['secure score', 'posture', 'sspm'],
    run: (ctx) =>
      neverThrow('sspm', ctx, deps.settings, async () => {
        const b = new OutcomeBuilder('sspm', ctx, deps.settings);
        const [scoresR, profilesR] = await Promise.allSettled([deps.graph.listSecureScores(8), deps.graph.listControlProfiles()]);
        if (scoresR.status === 'fulfilled') {
          b.ok('graph', scoresR.value.request, { pages: scoresR.value.pages, items: scoresR.value.items.length, ids: scoresR.value.items.map((s) => s.id) });
        }
        if (profilesR.status === 'fulfilled') b.ok('graph', profilesR.value.request, { pages: profilesR.value.pages, items: profilesR.value.items.length });
        if (scoresR.status === 'rejected' || profilesR.status === 'rejected') {
          const meanings = [];
          if (scoresR.status === 'rejected') meanings.push(b.failed('graph', 'GET /v1.0/security/secureScores?$top=8', scoresR.reason));
          if (profilesR.status === 'rejected') meanings.push(b.failed('graph', 'GET /v1.0/security/secureScoreControlProfiles', profilesR.reason));
          const m = meanings.find((x) => x.status === 'error') ?? meanings[0]!;
          return b.finish(m.status, `Secure Score could not be read. ${m.summary}`);
        }

        const scores = scoresR.value.items;
        const profiles = new Map(profilesR.value.items.map((p) => [p.id, p]));
        const latest = scores[0];
        if (!latest) {
          b.add({ title: 'No Secure Score snapshot', detail: 'Secure Score returned no daily snapshot for this tenant.', severity: 'medium', link: LINKS.secureScoreActions });
          return b.finish('warn', 'Secure Score returned no data for this tenant; open Secure Score in the Defender portal to check it is available.');
        }
        const weekAgo = weekBefore(scores);
        const weekAgoByControl = new Map((weekAgo?.controlScores ?? []).map((c) => [c.controlName, c]));
        const now = totals(latest, profiles);
        const before = totals(weekAgo, profiles);

        const open: Finding[] = [];
        const regressions: Finding[] = [];
        let settled = 0;
        for (const c of latest.controlScores) {
          const p = profiles.get(c.controlName);
          if (!p || !isSspmService(p.service) || p.deprecated) continue;
          const percent = percentOf(c, p);
          const state = stateOf(p);
          const product = productName(p.service);
          const link = p.actionUrl || LINKS.secureScoreActions;
          const prev = weekAgoByControl.get(c.controlName);
          if ((p.maxScore ?? 0) >= HIGH_MAX_SCORE && prev && (c.score ?? 0) < (prev.score ?? 0)) {
            regressions.push({
              title: `${product}: "${p.title ?? p.id}" regressed`,
              detail: `${prev.score ?? 0} → ${c.score ?? 0} of ${p.maxScore} points since ${shortDate(new Date(weekAgo!.createdDateTime))} (control ${p.id}).`,
              severity: 'high',
              link,
            });
          }
          if (percent >= 100) continue;
          if (SETTLED_STATES.has(state.toLowerCase())) {
            settled++;
            continue;
          }
          now.get(p.service)!.open++;
          open.push({
            title: `${product}: ${p.title ?? p.id}`,
            detail: `${c.score ?? 0} of ${p.maxScore ?? '?'} points (${Math.round(percent)} %), state ${state}. Control ${p.id}.`,
            severity: 'medium',
            link,
          });
        }

        const drops: Finding[] = [];
        for (const [service, t] of now) {
          const prev = before.get(service);
          if (!prev || prev.maxScore === 0) continue;
          const nowPct = pct(t.score, t.maxScore);
          const prevPct = pct(prev.score, prev.maxScore);
          if (nowPct < prevPct) {
            drops.push({
              title: `${productName(service)} score dropped`,
              detail: `${prevPct} % → ${nowPct} % since ${shortDate(new Date(weekAgo!.createdDateTime))}.`,
              severity: 'medium',
              link: LINKS.secureScoreActions,
            });
          }
        }

        const mdaServices = [...now.keys()].filter((s) => s.startsWith('MDA_'));
        const missing: Finding[] = [];
        if (mdaServices.length === 0 && deps.settings.expectedAppConnectors.length > 0) {
          missing.push({
            title: 'No SaaS (SSPM) recommendations in Secure Score',
            detail: `App connectors are expected (${deps.settings.expectedAppConnectors.join(', ')}) but today's Secure Score has no MDA_* control: turn on "Security recommendations" for the connectors, or check that they work. Recommendations can take 24 hours to appear.`,
            severity: 'high',
            link: LINKS.appConnectors,
          });
        }

        b.add(...missing, ...regressions, ...drops, ...open);
        b.extra.latestScore = { id: latest.id, createdDateTime: latest.createdDateTime, currentScore: latest.currentScore, maxScore: latest.maxScore };
        if (weekAgo) b.extra.weekAgoScore = { id: weekAgo.id, createdDateTime: weekAgo.createdDateTime, currentScore: weekAgo.currentScore, maxScore: weekAgo.maxScore };
        b.extra.products = [...now.values()].map((t) => ({
          service: t.service,
          controls: t.controls,
          open: t.open,
          percent: pct(t.score, t.maxScore),
          weekAgoPercent: before.get(t.service) ? pct(before.get(t.service)!.score, before.get(t.service)!.maxScore) : null,
        }));
        b.extra.settledControls = settled;

        const status = statusFromFindings(b.findings);
        const controls = [...now.values()].reduce((s, t) => s + t.controls, 0);
        if (controls === 0 && missing.length === 0) {
          b.add({
            title: 'No Defender for Cloud Apps controls in Secure Score',
            detail: 'Today\'s Secure Score has no MCAS or MDA_* control. Check that Defender for Cloud Apps is on and SaaS connectors have security recommendations enabled.',
            severity: 'medium',
            link: LINKS.secureScoreActions,
          });
          return b.finish('warn', 'Secure Score has no Defender for Cloud Apps or SaaS (SSPM) controls for this tenant.');
        }
        const byProduct = [...now.values()].filter((t) => t.open > 0).map((t) => `${productName(t.service)} ${t.open}`);
        const parts: string[] = [];
        if (missing.length) parts.push('no SaaS (SSPM) recommendations although connectors are expected');
        if (regressions.length) parts.push(`${plural(regressions.length, 'high-value control')} regressed`);
        if (open.length) parts.push(`${plural(open.length, 'open recommendation')} (${byProduct.join(', ')})`);
        if (drops.length) parts.push(`${drops.map((d) => d.title.replace(' score dropped', '')).join(', ')} down since last week`);
        const summary =
          status === 'pass'
            ? `All ${plural(controls, 'control')} for Defender for Cloud Apps and ${plural(mdaServices.length, 'SaaS app')} are done or marked; Secure Score ${latest.currentScore}/${latest.maxScore}.`
            : `${parts.join('; ')}.`.replace(/^./, (c) => c.toUpperCase());
        return b.finish(status, summary);
      }),
  };
}
