import type { CheckOutcome, Severity } from '../domain/outcome';
import { formatShortTime } from '../domain/period';
import { safeUserText } from '../domain/text';
import { STATUS_STYLE } from './status-style';
import { expand, type AdaptiveCard } from './templates';

/** Typed model of cards/check-result.json: one or several check outcomes. */
export interface CheckResultCardModel {
  heading: string;
  subheading: string;
  results: Array<{
    title: string;
    badge: string;
    badgeColor: string;
    summary: string;
    findings: Array<{ text: string; color: string }>;
    moreFindings: string;
    footer: string;
  }>;
}

const SEVERITY_ICON: Record<Severity, { icon: string; color: string }> = {
  high: { icon: '❌', color: 'Attention' },
  // Not the Warning colour: yellow text is hard to read on Teams' light theme; the icon carries the severity.
  medium: { icon: '⚠️', color: 'Default' },
  low: { icon: '⚠️', color: 'Default' },
  info: { icon: 'ℹ️', color: 'Default' },
};

/** Findings listed per result; the rest are counted, keeping a check-all card far below the size limit. */
const MAX_FINDINGS = 8;

export function resultModel(title: string, o: CheckOutcome, timeZone: string): CheckResultCardModel['results'][number] {
  const style = STATUS_STYLE[o.status];
  const order: Severity[] = ['high', 'medium', 'low', 'info'];
  const findings = [...o.findings].sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity));
  const shown = findings.slice(0, MAX_FINDINGS).map((f) => {
    const s = SEVERITY_ICON[f.severity];
    const title = safeUserText(f.title, 140);
    const head = f.link && /^https:\/\/[^\s()]+$/.test(f.link) ? `[${title}](${f.link})` : `**${title}**`;
    const detail = f.detail ? ` — ${safeUserText(f.detail, 300)}` : '';
    return { text: `${s.icon} ${head}${detail}`, color: s.color };
  });
  const rest = findings.length - shown.length;
  const apis = o.apis.length ? ` · ${o.apis.join(', ')}` : '';
  return {
    title,
    badge: style.badge,
    badgeColor: style.color,
    summary: safeUserText(o.summary, 300),
    findings: shown,
    moreFindings: rest > 0 ? `…and ${rest} more finding${rest === 1 ? '' : 's'}.` : '',
    footer: `Checked ${formatShortTime(o.checkedAt, timeZone)} (${timeZone})${o.sample ? ' · sample data, not your tenant' : ''}${apis}`,
  };
}

export function renderCheckResults(
  heading: string,
  subheading: string,
  results: Array<{ title: string; outcome: CheckOutcome }>,
  timeZone: string,
): AdaptiveCard {
  const model: CheckResultCardModel = {
    heading,
    subheading,
    results: results.map((r) => resultModel(r.title, r.outcome, timeZone)),
  };
  return expand('check-result', model);
}
