import type { Post, PostPatch } from '../domain/records';
import { ConcurrencyError, type Store } from '../store/store';

/**
 * Apply a patch that does not depend on what others wrote (re-pointing a card, recording a reminder), retrying on
 * optimistic-concurrency conflicts. Decisions that depend on the current state (claims) must not use this.
 */
export async function patchPost(store: Store, id: string, patch: PostPatch | ((p: Post) => PostPatch), attempts = 5): Promise<Post | undefined> {
  for (let i = 0; ; i++) {
    const current = await store.getPost(id);
    if (!current) return undefined;
    try {
      return await store.updatePost(id, current.etag, typeof patch === 'function' ? patch(current) : patch);
    } catch (err) {
      if (!(err instanceof ConcurrencyError) || i + 1 >= attempts) throw err;
    }
  }
}
