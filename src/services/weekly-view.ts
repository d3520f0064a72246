import { periodOf, type Period } from '../domain/period';
import type { Ack, Post, StoredOutcome, Target } from '../domain/records';
import { renderWeekly } from '../cards/weekly';
import type { AdaptiveCard } from '../cards/templates';
import type { ServiceDeps } from './context';
import type { RunningChecks } from './running-checks';

/** The period a post belongs to, rebuilt from its key (the Monday of that ISO week). */
export function periodOfPost(post: Pick<Post, 'periodKey' | 'timeZone'>): Period {
  const [y, w] = post.periodKey.split('-W').map(Number);
  // Jan 4th is always in ISO week 1; its Monday plus (w-1) weeks is the week's Monday. Noon avoids zone edges.
  const jan4 = new Date(Date.UTC(y, 0, 4, 12));
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000 + (w - 1) * 7 * 86_400_000);
  return periodOf(monday, 'UTC').key === post.periodKey
    ? { ...periodOf(monday, 'UTC'), timeZone: post.timeZone }
    : periodOf(monday, post.timeZone);
}

/**
 * What the card of a post shows, reduced to a comparable string: who acknowledged which item, the latest outcome of
 * each check, and the checks running here. Two renders with the same fingerprint show the same card.
 */
export async function postStateFingerprint(deps: Pick<ServiceDeps, 'store'>, running: RunningChecks, postId: string): Promise<string> {
  const [acks, outcomes] = await Promise.all([deps.store.listAcks(postId), deps.store.getOutcomes(postId)]);
  return fingerprintOf(acks, outcomes, running.of(postId));
}

function fingerprintOf(acks: Ack[], outcomes: StoredOutcome[], running: ReadonlySet<string>): string {
  return JSON.stringify([
    acks.map((a) => [a.itemId, a.userId, a.at]),
    outcomes.map((o) => [o.itemId, o.outcome.checkedAt, o.outcome.status]),
    [...running].sort(),
  ]);
}

/** Render the weekly card for a post from what the store holds now. */
export async function renderPostCard(
  deps: Pick<ServiceDeps, 'store' | 'checklist'>,
  running: RunningChecks,
  post: Post,
  target: Target,
): Promise<AdaptiveCard> {
  return (await renderPostCardWithState(deps, running, post, target)).card;
}

/** The card and the fingerprint of the state it was rendered from. */
export async function renderPostCardWithState(
  deps: Pick<ServiceDeps, 'store' | 'checklist'>,
  running: RunningChecks,
  post: Post,
  target: Target,
): Promise<{ card: AdaptiveCard; fingerprint: string }> {
  const [acks, outcomes] = await Promise.all([deps.store.listAcks(post.id), deps.store.getOutcomes(post.id)]);
  const runningNow = running.of(post.id);
  const card = renderWeekly({
    checklist: deps.checklist,
    post,
    period: periodOfPost(post),
    target,
    acks,
    outcomes,
    running: runningNow,
    timeZone: post.timeZone,
  });
  return { card, fingerprint: fingerprintOf(acks, outcomes, runningNow) };
}
