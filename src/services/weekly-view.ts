import { periodOf, type Period } from '../domain/period';
import type { Post, Target } from '../domain/records';
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

/** Render the weekly card for a post from what the store holds now. */
export async function renderPostCard(
  deps: Pick<ServiceDeps, 'store' | 'checklist'>,
  running: RunningChecks,
  post: Post,
  target: Target,
): Promise<AdaptiveCard> {
  const [acks, outcomes] = await Promise.all([deps.store.listAcks(post.id), deps.store.getOutcomes(post.id)]);
  return renderWeekly({
    checklist: deps.checklist,
    post,
    period: periodOfPost(post),
    target,
    acks,
    outcomes,
    running: running.of(post.id),
    timeZone: post.timeZone,
  });
}
