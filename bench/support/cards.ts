/** Reading what the bot sent: Adaptive Cards in activities, their Action.Execute data, acknowledgers shown. */

export function cardsIn(body: any): any[] {
  const activity = body?.activity ?? body;
  return (activity?.attachments ?? [])
    .filter((a: any) => a?.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((a: any) => a.content);
}

/** The first Action.Execute data carrying a postId (the weekly card's buttons). */
export function cardRef(card: any): { postId: string; periodKey: string } | undefined {
  let found: { postId: string; periodKey: string } | undefined;
  const walk = (v: any) => {
    if (found || !v || typeof v !== 'object') return;
    if (v.type === 'Action.Execute' && v.data?.postId) found = { postId: v.data.postId, periodKey: v.data.periodKey };
    Object.values(v).forEach(walk);
  };
  walk(card);
  return found;
}

export function texts(card: any): string[] {
  const out: string[] = [];
  const walk = (v: any) => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(walk);
    for (const k of ['text', 'value', 'title']) if (typeof v[k] === 'string') out.push(v[k]);
    Object.values(v).forEach(walk);
  };
  walk(card);
  return out;
}

/**
 * Acknowledgements a card shows: lines "✔ A · t; B · t; C · t (+N more)" → names shown + N, summed over items.
 * Counts each distinct line once (a value may be repeated in a fallback).
 */
export function acksShown(card: any): number {
  const lines = new Set(texts(card).filter((t) => t.startsWith('✔')));
  let n = 0;
  for (const line of lines) {
    const more = /\(\+(\d+) more\)\s*$/.exec(line);
    const shown = line.replace(/\(\+\d+ more\)\s*$/, '').replace(/^✔\s*/, '').split(';').filter((s) => s.trim()).length;
    n += shown + (more ? Number(more[1]) : 0);
  }
  return n;
}

export function jsonBytes(v: unknown): number {
  return Buffer.byteLength(JSON.stringify(v), 'utf8');
}
