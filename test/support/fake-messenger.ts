import type { Target } from '../../src/domain/records';
import { DeliveryError, type Delivered, type Messenger, type Outbound } from '../../src/services/messenger';

/** A hand-written Messenger for service tests: records what was sent, fails on demand. */
export class FakeMessenger implements Messenger {
  readonly sent: Array<{ op: 'post' | 'update' | 'reply'; target: string; threadId?: string; activityId?: string; message: Outbound }> = [];
  private failures: Array<{ op: 'post' | 'update' | 'reply' | 'any'; error: DeliveryError }> = [];
  private n = 0;
  /** Milliseconds each call takes. */
  latencyMs = 0;

  failNext(op: 'post' | 'update' | 'reply' | 'any', error: DeliveryError): void {
    this.failures.push({ op, error });
  }

  private async maybeFail(op: 'post' | 'update' | 'reply') {
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    const i = this.failures.findIndex((f) => f.op === op || f.op === 'any');
    if (i >= 0) throw this.failures.splice(i, 1)[0].error;
  }

  async post(target: Target, message: Outbound): Promise<Delivered> {
    await this.maybeFail('post');
    const activityId = String(++this.n);
    const threadId = `${target.conversationId};messageid=${activityId}`;
    this.sent.push({ op: 'post', target: target.id, threadId, activityId, message });
    return { activityId, threadId };
  }
  async update(target: Target, at: { activityId: string; threadId: string }, message: Outbound): Promise<void> {
    await this.maybeFail('update');
    this.sent.push({ op: 'update', target: target.id, threadId: at.threadId, activityId: at.activityId, message });
  }
  async reply(target: Target, threadId: string, message: Outbound): Promise<Delivered> {
    await this.maybeFail('reply');
    const activityId = String(++this.n);
    this.sent.push({ op: 'reply', target: target.id, threadId, activityId, message });
    return { activityId, threadId };
  }
  posts(targetId?: string) {
    return this.sent.filter((s) => s.op === 'post' && (!targetId || s.target === targetId));
  }
}
