/** Which items of which post have a check running in this process, so the card can show "running…". */
export class RunningChecks {
  private readonly byPost = new Map<string, Set<string>>();
  add(postId: string, itemId: string): boolean {
    const s = this.byPost.get(postId) ?? new Set<string>();
    if (s.has(itemId)) return false;
    s.add(itemId);
    this.byPost.set(postId, s);
    return true;
  }
  delete(postId: string, itemId: string): void {
    const s = this.byPost.get(postId);
    s?.delete(itemId);
    if (s && !s.size) this.byPost.delete(postId);
  }
  of(postId: string): ReadonlySet<string> {
    return this.byPost.get(postId) ?? new Set();
  }
}
