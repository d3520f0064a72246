import { randomUUID } from 'node:crypto';
import { openSqliteStore } from '../../src/store/sqlite';
import { periodOf } from '../../src/domain/period';
import { WEEKLY_CHECKLIST } from '../../src/checklists/weekly';
import type { Post, Target, TargetInput } from '../../src/domain/records';
import { BOT, TEAM, TENANT } from './activities';

/** Seeding the embedded store through the Store API (what an install activity would write, without the traffic). */

export function targetInput(serviceUrl: string, channelId: string): TargetInput {
  return {
    tenantId: TENANT,
    conversationId: channelId,
    kind: 'channel',
    teamId: TEAM,
    teamName: 'Bench Team',
    channelName: channelId.slice(3, 30),
    serviceUrl,
    botId: BOT.id,
    botName: BOT.name,
  };
}

export async function seedTargets(dataDir: string, serviceUrl: string, channels: string[]): Promise<Target[]> {
  const store = openSqliteStore(dataDir);
  try {
    const at = new Date().toISOString();
    const out: Target[] = [];
    for (const c of channels) out.push(await store.upsertTarget(targetInput(serviceUrl, c), at));
    return out;
  } finally {
    await store.close();
  }
}

/** A target with this week's post already sent (for the naive handler, which does not post). */
export async function seedPostedCard(dataDir: string, serviceUrl: string, channelId: string): Promise<{ post: Post; thread: { conversationId: string; activityId: string } }> {
  const store = openSqliteStore(dataDir);
  try {
    const now = new Date();
    const target = await store.upsertTarget(targetInput(serviceUrl, channelId), now.toISOString());
    const { post } = await store.claimPost({
      id: randomUUID(),
      targetId: target.id,
      periodKey: periodOf(now, 'UTC').key,
      checklistId: WEEKLY_CHECKLIST.id,
      timeZone: 'UTC',
      claimant: 'bench',
      at: now.toISOString(),
    });
    const activityId = String(Math.floor(Math.random() * 1e12));
    const threadId = `${channelId};messageid=${activityId}`;
    const sent = await store.updatePost(post.id, post.etag, { status: 'sent', sentAt: now.toISOString(), activityId, threadId, attempts: 1 });
    return { post: sent, thread: { conversationId: threadId, activityId } };
  } finally {
    await store.close();
  }
}

/** Read-only look into a store while (or after) the server runs: SQLite in WAL mode allows it. */
export async function withStore<T>(dataDir: string, fn: (store: ReturnType<typeof openSqliteStore>) => Promise<T>): Promise<T> {
  const store = openSqliteStore(dataDir);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
