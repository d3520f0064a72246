/**
 * The NAIVE weekly fan-out, for comparison only: post the card to every channel one after another, as fast as the
 * connector answers, with no pacing. A 429 is retried after its Retry-After (botbuilder's HTTP pipeline does that
 * by default), at most `maxAttempts` times per channel; a channel still refused after that is lost.
 */
export interface NaiveFanOutResult {
  targets: number;
  wallMs: number;
  posted: number;
  lost: number;
  throttled: number;
  notAttempted: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function naiveFanOut(opts: {
  connectorUrl: string;
  channels: string[];
  /** The createConversation body Rounds sent (any channel); the channel id is swapped per target. */
  template: any;
  maxAttempts?: number;
  /** Stop starting new channels after this long (keeps the bench bounded). */
  timeCapMs?: number;
}): Promise<NaiveFanOutResult> {
  const maxAttempts = opts.maxAttempts ?? 6;
  const cap = opts.timeCapMs ?? 120_000;
  const url = `${opts.connectorUrl.replace(/\/?$/, '/')}v3/conversations`;
  const started = Date.now();
  const r: NaiveFanOutResult = { targets: opts.channels.length, wallMs: 0, posted: 0, lost: 0, throttled: 0, notAttempted: 0 };
  for (const [i, channelId] of opts.channels.entries()) {
    if (Date.now() - started > cap) {
      r.notAttempted = opts.channels.length - i;
      break;
    }
    const body = JSON.stringify({ ...opts.template, channelData: { ...opts.template.channelData, channel: { id: channelId } } });
    let ok = false;
    for (let attempt = 0; attempt < maxAttempts && !ok; attempt++) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await res.text();
      if (res.ok) ok = true;
      else if (res.status === 429) {
        r.throttled++;
        await sleep(Number(res.headers.get('retry-after') ?? '1') * 1000);
      } else break;
    }
    if (ok) r.posted++;
    else r.lost++;
  }
  r.wallMs = Date.now() - started;
  return r;
}
