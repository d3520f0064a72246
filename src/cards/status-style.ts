import type { OutcomeStatus } from '../domain/outcome';

/** How a check status looks on a card. Adaptive Card colours: Good, Warning, Attention, Accent, Default. */
export const STATUS_STYLE: Record<OutcomeStatus | 'running' | 'none', { badge: string; color: string }> = {
  pass: { badge: '✅ Pass', color: 'Good' },
  warn: { badge: '⚠️ Warn', color: 'Warning' },
  fail: { badge: '❌ Fail', color: 'Attention' },
  manual: { badge: '👀 Manual', color: 'Accent' },
  error: { badge: '⛔ Error', color: 'Attention' },
  running: { badge: '⏳ Running…', color: 'Accent' },
  none: { badge: '', color: 'Default' },
};
