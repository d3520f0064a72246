import { evidenceLabel } from '../domain/outcome';
import { isPeriodKey } from '../domain/period';
import type { Post, Target } from '../domain/records';
import type { AdaptiveCard } from '../cards/templates';
import type { ServiceDeps } from './context';
import type { Actor, AckPolicy } from './access';
import { ServiceError } from './errors';
import type { CardUpdater } from './card-updater';
import type { RunningChecks } from './running-checks';
import { renderPostCard } from './weekly-view';
import { SharedRun } from './shared-render';

/** Card data of an Action.Execute, already parsed by the route (zod). The actor never comes from here. */
export interface CardRef {
  postId: string;
  periodKey: string;
  itemId: string;
}

/** Where the invoke came from, from the activity itself. */
export interface Origin {
  tenantId: string;
  /** The conversation id without `;messageid=`. */
  conversationId: string;
}

/**
 * Acknowledge / undo an item. The invoke path only validates, writes one row, and renders: Teams wants the answer
 * well under 5 s, and the card is updated for everyone afterwards through the CardUpdater (coalesced).
 */
export class AcknowledgeService {
  private readonly renders = new SharedRun<AdaptiveCard>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly updater: CardUpdater,
    private readonly running: RunningChecks,
    private readonly policy: AckPolicy,
  ) {}

  /** Load and cross-check the post a card refers to. Anything that does not match is refused, nothing recorded. */
  async resolve(ref: CardRef, origin: Origin): Promise<{ post: Post; target: Target }> {
    const { store, checklist } = this.deps;
    const post = await store.getPost(ref.postId);
    if (!post) {
      throw new ServiceError('unknown-post', 'This card does not match any checklist I posted.', 'Type "status" to see this week, or "post checklist" for a fresh card.');
    }
    if (!isPeriodKey(ref.periodKey) || post.periodKey !== ref.periodKey) {
      throw new ServiceError('invalid-card-data', 'The card data does not match the posted checklist.', 'Use the card as posted, or type "status".');
    }
    if (!checklist.items.some((i) => i.id === ref.itemId)) {
      throw new ServiceError('unknown-item', 'That checklist item does not exist.', 'Use the buttons on the posted card.');
    }
    const target = await store.getTarget(post.targetId);
    if (!target || target.tenantId !== origin.tenantId || target.conversationId !== origin.conversationId) {
      throw new ServiceError(
        'wrong-conversation',
        'This card belongs to another channel.',
        'Acknowledge items on the card in the channel where it was posted.',
      );
    }
    return { post, target };
  }

  private async authorize(target: Target, itemId: string, actor: Actor) {
    const verdict = await this.policy.check(target, itemId, actor);
    if (!verdict.allowed) throw new ServiceError('not-allowed', `You are not allowed to acknowledge this item.`, verdict.reason);
  }

  /** The card as it is now (for the clicker's invoke response). */
  cardFor(post: Post, target: Target): Promise<AdaptiveCard> {
    return this.renders.run(post.id, () => renderPostCard(this.deps, this.running, post, target));
  }

  async ack(ref: CardRef, origin: Origin, actor: Actor): Promise<{ card: AdaptiveCard; changed: boolean }> {
    const { post, target } = await this.resolve(ref, origin);
    await this.authorize(target, ref.itemId, actor);
    const outcomes = await this.deps.store.getOutcomes(post.id);
    const latest = outcomes.find((o) => o.itemId === ref.itemId)?.outcome;
    const { changed } = await this.deps.store.ack({
      post,
      itemId: ref.itemId,
      userId: actor.id,
      userName: actor.name,
      at: this.deps.clock.now().toISOString(),
      evidence: latest
        ? { status: latest.status, summary: latest.summary.slice(0, 300), label: evidenceLabel(latest), checkedAt: latest.checkedAt }
        : undefined,
    });
    if (changed) this.updater.request(post.id);
    return { card: await this.cardFor(post, target), changed };
  }

  async unack(ref: CardRef, origin: Origin, actor: Actor): Promise<{ card: AdaptiveCard; changed: boolean }> {
    const { post, target } = await this.resolve(ref, origin);
    const { changed } = await this.deps.store.unack({
      post,
      itemId: ref.itemId,
      userId: actor.id,
      userName: actor.name,
      at: this.deps.clock.now().toISOString(),
    });
    if (changed) this.updater.request(post.id);
    return { card: await this.cardFor(post, target), changed };
  }
}
