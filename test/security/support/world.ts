import Database from 'better-sqlite3';
import path from 'node:path';
import fs from 'node:fs';
import { BotProcess } from '../../support/bot-process';
import { cardsIn, LoopbackConnector } from '../../support/loopback-connector';
import { ALEX, channelMessage, installationAdd } from '../../support/teams-activities';

/** What the bot recorded, read straight from its SQLite file (read-only, so the test cannot change anything). */
export interface Snapshot {
  targets: number;
  posts: number;
  acks: Array<{ post_id: string; item_id: string; user_id: string; user_name: string }>;
  audit: number;
  outcomes: number;
}

export function snapshot(dataDir: string): Snapshot {
  const file = path.join(dataDir, 'rounds.db');
  if (!fs.existsSync(file)) return { targets: 0, posts: 0, acks: [], audit: 0, outcomes: 0 };
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const count = (t: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
    return {
      targets: count('targets'),
      posts: count('posts'),
      acks: db.prepare('SELECT post_id, item_id, user_id, user_name FROM acks ORDER BY post_id, item_id, user_id').all() as Snapshot['acks'],
      audit: count('audit'),
      outcomes: count('outcomes'),
    };
  } finally {
    db.close();
  }
}

export interface CardRefData {
  postId: string;
  periodKey: string;
}

export function cardDataOf(card: unknown): CardRefData {
  let found: CardRefData | undefined;
  const walk = (v: any) => {
    if (found || !v || typeof v !== 'object') return;
    if (v.type === 'Action.Execute' && v.data?.postId) found = { postId: v.data.postId, periodKey: v.data.periodKey };
    Object.values(v).forEach(walk);
  };
  walk(card);
  if (!found) throw new Error('no Action.Execute with card data in the card');
  return found;
}

/**
 * Install the bot in the General channel and post this week's checklist, in local mode (no tokens needed), so
 * that later phases (authenticated, restricted) start from a real post in DATA_DIR.
 */
export async function seedChecklist(dataDir: string, connector: LoopbackConnector, extraEnv: Record<string, string> = {}) {
  const bot = await new BotProcess({ DATA_DIR: dataDir, SAMPLE_TENANT: 'true', CHECKLIST_TIMEZONE: 'UTC', CARD_UPDATE_DELAY_MS: '200', ...extraEnv }).start();
  try {
    const inst = await bot.post('/api/messages', installationAdd(connector.url));
    if (inst.status !== 200) throw new Error(`install: ${inst.status} ${inst.text}`);
    const before = connector.of('create').length;
    const msg = channelMessage(connector.url, 'post checklist', ALEX);
    const r = await bot.post('/api/messages', msg);
    if (r.status !== 200) throw new Error(`post checklist: ${r.status} ${r.text}`);
    await connector.waitFor((c) => c.filter((x) => x.kind === 'create' && x.status === 200).length > before, 10_000, 'checklist post');
    const create = connector.of('create').at(-1)!;
    const card = cardsIn(create.body)[0];
    return {
      ...cardDataOf(card),
      thread: { conversationId: create.response!.id, activityId: create.response!.activityId! },
    };
  } finally {
    await bot.kill('SIGTERM');
  }
}
