/**
 * Coalesces identical work requested in the same moment: every caller that asks for `key` before the work starts
 * shares one run. Used for the invoke response card: a burst of 50 clicks on one card renders it a few times, not
 * 50, and each clicker still gets a card that includes their own click (their write happened before the run began;
 * a request arriving after it began schedules the next run).
 */
export class SharedRun<T> {
  private readonly queued = new Map<string, Promise<T>>();


  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.queued.get(key);
    if (existing) return existing;
    const p = new Promise<T>((resolve, reject) => {
      // setImmediate: after the I/O callbacks already waiting, so requests that arrived together join this run.
      setImmediate(() => {
        this.queued.delete(key);
        work().then(resolve, reject);
      });
    });
    this.queued.set(key, p);
    return p;
  }
}
