import { WEEKLY_CHECKLIST } from '../../src/checklists/weekly';
import type { CheckOutcome } from '../../src/domain/outcome';
import { renderPostCard } from '../../src/services/weekly-view';
import { RunningChecks } from '../../src/services/running-checks';
import { channel, user } from '../support/activities';
import { jsonBytes } from '../support/cards';
import { PRODUCT_ENTRY, ServerProcess, removeDir, sleep, tempDir } from '../support/process';
import { seedPostedCard, withStore } from '../support/seed';
import { median, round, type Table } from '../support/stats';
import type { AckBurstResult } from './ack-burst';

/**
 * Scenario 4 — footprint. Start of the real server process (spawn → first /healthz 200, through tsx as
 * `npm run dev`/tests run it), idle RSS, and the weekly card's size with 50 acknowledgers: as sent in the ack
 * burst, and a worst case rendered in process (every ack with evidence, every item with a long check summary).
 */
export interface FootprintResult {
  startsMs: number[];
  medianStartMs: number;
  idleRssKiB?: number;
  rssAfterAckBurstKiB?: number;
  cardBytes50Sent?: number;
  activityBytes50Sent?: number;
  cardBytes200Sent?: number;
  cardBytes50Worst: number;
}

const KB = 1024;
const CARD_LIMIT = 28 * KB;

async function worstCaseCard(): Promise<number> {
  const dir = tempDir();
  try {
    const { post } = await seedPostedCard(dir, 'http://127.0.0.1:9/', channel('footprint'));
    return await withStore(dir, async (store) => {
      const now = new Date().toISOString();
      for (const item of WEEKLY_CHECKLIST.items) {
        const outcome: CheckOutcome = {
          checkId: item.checkId ?? item.id,
          status: 'warn',
          summary: `${'Seven open recommendations across Salesforce, ServiceNow and Defender for Cloud Apps; '.repeat(4)}`.slice(0, 300),
          findings: Array.from({ length: 20 }, (_, i) => ({ title: `Finding ${i}`, detail: 'x'.repeat(200), severity: 'medium' as const })),
          evidence: { calls: [] },
          checkedAt: now,
          apis: [],
        };
        await store.putOutcome(post.id, item.id, outcome, 'Bench User 000');
      }
      const outcomes = await store.getOutcomes(post.id);
      for (let i = 0; i < 50; i++) {
        const itemId = WEEKLY_CHECKLIST.items[i % WEEKLY_CHECKLIST.items.length]!.id;
        const o = outcomes.find((x) => x.itemId === itemId)!.outcome;
        const u = user(i);
        await store.ack({
          post,
          itemId,
          userId: u.aadObjectId,
          userName: `${u.name} with a rather long display name (Contoso SOC)`.slice(0, 80),
          at: now,
          evidence: { status: o.status, summary: o.summary, label: '20 warnings', checkedAt: o.checkedAt },
        });
      }
      const target = (await store.getTarget(post.targetId))!;
      const card = await renderPostCard({ store, checklist: WEEKLY_CHECKLIST }, new RunningChecks(), post, target);
      return jsonBytes(card);
    });
  } finally {
    removeDir(dir);
  }
}

export async function runFootprint(opts: { ack?: AckBurstResult; starts?: number }): Promise<FootprintResult> {
  const starts: number[] = [];
  let idleRssKiB: number | undefined;
  for (let i = 0; i < (opts.starts ?? 3); i++) {
    const dir = tempDir();
    const server = new ServerProcess(PRODUCT_ENTRY, { DATA_DIR: dir, LOG_LEVEL: 'info' });
    try {
      await server.start();
      starts.push(round(server.startMs, 0));
      if (i === 0) {
        await sleep(2000);
        idleRssKiB = server.rssKiB();
      }
    } finally {
      await server.stop();
      removeDir(dir);
    }
  }
  const b50 = opts.ack?.product.bursts.find((b) => b.users === 50);
  const b200 = opts.ack?.product.bursts.find((b) => b.users === 200);
  return {
    startsMs: starts,
    medianStartMs: median(starts),
    idleRssKiB,
    rssAfterAckBurstKiB: opts.ack?.product.rssAfterKiB,
    cardBytes50Sent: b50?.finalCardBytes,
    activityBytes50Sent: b50?.finalActivityBytes,
    cardBytes200Sent: b200?.finalCardBytes,
    cardBytes50Worst: await worstCaseCard(),
  };
}

export function footprintTables(r: FootprintResult): Table[] {
  const kb = (b?: number) => (b === undefined ? '–' : `${round(b / KB, 1)} KB`);
  const mb = (k?: number) => (k === undefined ? '–' : `${round(k / 1024, 0)} MiB`);
  return [
    {
      title: '4. Footprint',
      rows: [
        { metric: `Start → /healthz ready (median of ${r.startsMs.length}, ms)`, product: `${r.medianStartMs} (${r.startsMs.join(', ')})` },
        { metric: 'Idle RSS (2 s after ready)', product: mb(r.idleRssKiB) },
        { metric: 'RSS after the ack bursts', product: mb(r.rssAfterAckBurstKiB) },
        {
          metric: 'Weekly card, 50 acknowledgers, as sent (card · activity)',
          product: `${kb(r.cardBytes50Sent)} · ${kb(r.activityBytes50Sent)}`,
          target: '≤ 28 KB',
          ok: r.cardBytes50Sent === undefined ? undefined : r.cardBytes50Sent <= CARD_LIMIT,
        },
        { metric: 'Weekly card, 200 acknowledgers, as sent', product: kb(r.cardBytes200Sent), target: '≤ 28 KB', ok: r.cardBytes200Sent === undefined ? undefined : r.cardBytes200Sent <= CARD_LIMIT },
        {
          metric: 'Weekly card, 50 acknowledgers, worst case (evidence + outcomes)',
          product: kb(r.cardBytes50Worst),
          target: '≤ 28 KB',
          ok: r.cardBytes50Worst <= CARD_LIMIT,
        },
      ],
      notes: [
        'The server runs as `node --require tsx/cjs src/index.ts` (TypeScript compiled on load), default configuration, embedded SQLite; a compiled `dist/` start is faster.',
        'Card size = UTF-8 bytes of the Adaptive Card JSON; "activity" = the whole updateActivity body.',
      ],
    },
  ];
}
