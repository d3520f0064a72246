/** The result of running one check. Stored as evidence and shown on cards; the shape is a persisted contract. */
export const OUTCOME_STATUSES = ['pass', 'warn', 'fail', 'manual', 'error'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

export type Severity = 'info' | 'low' | 'medium' | 'high';

export interface Finding {
  title: string;
  detail: string;
  severity: Severity;
  /** Deep link into the portal where a person can see or fix this. */
  link?: string;
}

/** What was asked and what came back: counts and ids only, never tokens or secrets. */
export interface EvidenceCall {
  api: string;
  request: string;
  status: number | 'timeout' | 'not-configured' | 'skipped';
  pages?: number;
  items?: number;
  ids?: string[];
  note?: string;
}

export interface CheckOutcome {
  checkId: string;
  status: OutcomeStatus;
  summary: string;
  findings: Finding[];
  evidence: { calls: EvidenceCall[]; [key: string]: unknown };
  checkedAt: string;
  apis: string[];
  /** True when the data came from the built-in sample tenant, not a real one. */
  sample?: boolean;
  durationMs?: number;
}

const WORSENESS: Record<OutcomeStatus, number> = { pass: 0, manual: 1, warn: 2, error: 3, fail: 4 };

/** Worst of several statuses; used to combine sub-results into one item status. */
export function worstStatus(statuses: OutcomeStatus[]): OutcomeStatus {
  let worst: OutcomeStatus = 'pass';
  for (const s of statuses) if (WORSENESS[s] > WORSENESS[worst]) worst = s;
  return worst;
}

export function countBySeverity(findings: Finding[]): { warnings: number; failures: number } {
  let warnings = 0;
  let failures = 0;
  for (const f of findings) {
    if (f.severity === 'high') failures++;
    else if (f.severity === 'medium' || f.severity === 'low') warnings++;
  }
  return { warnings, failures };
}

/** "2 warnings", "1 failure, 1 warning", "passed", "manual": the short evidence text next to an acknowledgement. */
export function evidenceLabel(o: Pick<CheckOutcome, 'status' | 'findings'>): string {
  if (o.status === 'manual') return 'manual review';
  if (o.status === 'error') return 'check failed to run';
  if (o.status === 'pass') return 'passed';
  const { warnings, failures } = countBySeverity(o.findings);
  const parts: string[] = [];
  if (failures) parts.push(`${failures} failure${failures === 1 ? '' : 's'}`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.length ? parts.join(', ') : o.status;
}
