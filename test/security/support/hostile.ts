import { randomUUID } from 'node:crypto';

/**
 * Deterministic generator of hostile Bot Framework traffic for the fuzz test. Every activity is one of:
 * - `legit`: a well-formed acknowledgement by a user from LEGIT_USERS with valid card data (only hostile *text*,
 *   e.g. the display name). These may create records.
 * - anything else: hostile. By construction it cannot be a valid acknowledgement: the acting user is from
 *   HOSTILE_USERS (or has no usable id), and card data always carries at least one invalidating mutation. These
 *   must create nothing.
 */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Strings an attacker controls: display names, message text, card data values, team and channel names. */
export const HOSTILE_STRINGS = [
  '[click here](https://evil.example/login)',
  '![x](https://evil.example/pixel.png)',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="https://evil.example">Rounds admin</a>',
  '${$root.postId}',
  "${if(true, 'pwned', 'no')}",
  '${json(\'{"a":1}\')}',
  '{{user.name}}',
  '**bold** _it_ ~~s~~ `code` # head',
  '<at>Rounds</at> <at>Everyone</at>',
  '\u202eevil\u202c reversed',
  '\u0000\u0001\u0007 control',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'prototype',
  '../../../../etc/passwd',
  "'; DROP TABLE acks; --",
  '" OR 1=1 --',
  '%s%s%s%n',
  '\\u0000\\x00',
  '😀'.repeat(50),
  'A'.repeat(5000),
  'Ω≈ç√∫˜µ≤≥÷',
  '\r\n\r\nHTTP/1.1 200 OK\r\n',
];

/** Users whose object ids may appear in acks (they act legitimately with hostile names). */
export const LEGIT_USERS = Array.from({ length: 6 }, (_, i) => ({
  id: `29:legit-${i}`,
  aadObjectId: `00000000-0000-4000-8000-0000000c0d${String(i).padStart(2, '0')}`,
}));
/** Users whose object ids must never appear in acks. */
export const HOSTILE_USERS = Array.from({ length: 6 }, (_, i) => ({
  id: `29:hostile-${i}`,
  aadObjectId: `00000000-0000-4000-8000-0000000bad${String(i).padStart(2, '0')}`,
}));

export interface Envelope {
  serviceUrl: string;
  tenantId: string;
  conversationId: string;
  channelId: string;
  teamId: string;
  bot: { id: string; name: string };
}

export interface Generated {
  kind: string;
  legit: boolean;
  /** A raw JSON string (to smuggle `__proto__` keys) or an object. */
  body: string | Record<string, unknown>;
}

export class HostileGenerator {
  readonly counts: Record<string, number> = {};
  private readonly r: () => number;

  constructor(
    seed: number,
    private readonly env: Envelope,
    private readonly card: { postId: string; periodKey: string; itemIds: string[]; threadId: string; activityId: string },
  ) {
    this.r = rng(seed);
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)];
  }
  private chance(p: number): boolean {
    return this.r() < p;
  }
  private hostileString(): string {
    const s = this.pick(HOSTILE_STRINGS);
    if (this.chance(0.15)) return s.repeat(1 + Math.floor(this.r() * 20)).slice(0, 20_000);
    if (this.chance(0.2)) return `${this.pick(HOSTILE_STRINGS)} ${s}`;
    return s;
  }
  /** Wrong-typed values for any field. */
  private weird(): unknown {
    return this.pick<unknown>([
      null,
      42,
      -1,
      1e308,
      true,
      [],
      [1, 'a', null],
      {},
      JSON.parse('{"__proto__":{"polluted":true}}'),
      { constructor: { prototype: { polluted: true } } },
      '',
      this.hostileString(),
    ]);
  }

  private envelope(from: Record<string, unknown>, threadId = this.card.threadId): Record<string, any> {
    return {
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      serviceUrl: this.env.serviceUrl,
      channelId: 'msteams',
      from,
      conversation: { id: threadId, conversationType: 'channel', isGroup: true, tenantId: this.env.tenantId },
      recipient: { ...this.env.bot },
      channelData: { tenant: { id: this.env.tenantId }, team: { id: this.env.teamId, name: 'SOC Team' }, channel: { id: this.env.channelId } },
    };
  }

  private hostileFrom(): Record<string, unknown> {
    const u = this.pick(HOSTILE_USERS);
    const from: Record<string, unknown> = { id: u.id, name: this.hostileString(), aadObjectId: u.aadObjectId };
    const m = Math.floor(this.r() * 6);
    if (m === 0) delete from.aadObjectId;
    if (m === 1) from.aadObjectId = this.weird();
    if (m === 2) from.name = this.weird();
    if (m === 3) from.id = this.weird();
    return from;
  }

  private validData(): Record<string, unknown> {
    return { postId: this.card.postId, periodKey: this.card.periodKey, itemId: this.pick(this.card.itemIds) };
  }

  /** Card data with at least one invalidating change (plus maybe hostile extras). */
  private brokenData(): unknown {
    const d: Record<string, unknown> = this.validData();
    const field = this.pick(['postId', 'periodKey', 'itemId'] as const);
    const how = Math.floor(this.r() * 5);
    if (how === 0) delete d[field];
    else if (how === 1) d[field] = this.weird();
    else if (how === 2) d[field] = this.hostileString();
    else if (how === 3) d[field] = field === 'periodKey' ? '2019-W01' : field === 'postId' ? randomUUID() : 'not-an-item';
    else return this.pick([null, 'string', 7, [d], []]);
    if (this.chance(0.3)) d.extra = this.hostileString();
    if (this.chance(0.2)) d.userId = this.pick(LEGIT_USERS).aadObjectId;
    return d;
  }

  private note(kind: string) {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
  }

  next(): Generated {
    const roll = this.r();
    if (roll < 0.12) return this.legitAck();
    if (roll < 0.4) return this.hostileInvoke();
    if (roll < 0.62) return this.hostileMessage();
    if (roll < 0.74) return this.wrongTypes();
    if (roll < 0.84) return this.protoKeys();
    if (roll < 0.92) return this.otherActivity();
    return this.foreignEnvelope();
  }

  /** Valid ack/unack by a legit user whose display name is hostile. */
  legitAck(): Generated {
    this.note('legit ack/unack (hostile display name)');
    const u = this.pick(LEGIT_USERS);
    const a = this.envelope({ id: u.id, name: this.hostileString(), aadObjectId: u.aadObjectId });
    return {
      kind: 'legit',
      legit: true,
      body: {
        ...a,
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId: this.card.activityId,
        value: { action: { type: 'Action.Execute', verb: this.chance(0.8) ? 'ack' : 'unack', data: this.validData() }, trigger: 'manual' },
      },
    };
  }

  hostileInvoke(): Generated {
    const a = this.envelope(this.chance(0.85) ? this.hostileFrom() : { id: this.pick(LEGIT_USERS).id, name: this.hostileString() });
    const variant = Math.floor(this.r() * 7);
    const verb = this.pick(['ack', 'unack', 'runCheck', this.hostileString(), '__proto__', 'constructor', 'toString', '']);
    let value: unknown = { action: { type: 'Action.Execute', verb, data: this.brokenData() }, trigger: 'manual' };
    if (variant === 0) value = this.weird();
    if (variant === 1) value = { action: this.weird(), trigger: this.weird() };
    if (variant === 2) value = { action: { type: 'Action.Execute', verb: 'ack', data: this.validData() }, trigger: 'automatic' };
    if (variant === 3) (value as any).action.verb = this.weird();
    const name = variant === 4 ? this.pick(['composeExtension/query', 'task/fetch', 'signin/verifyState', this.hostileString(), 'adaptiveCard/action ']) : 'adaptiveCard/action';
    if (variant === 5) a.from = { id: this.pick(LEGIT_USERS).id, name: 'no aad id' }; // Teams mode: no aadObjectId, no actor
    this.note(variant === 2 ? 'invoke: automatic refresh' : variant === 4 ? 'invoke: other names' : 'invoke: hostile card data/verb');
    if (variant === 2 || variant === 5) {
      // valid data but must still record nothing: automatic trigger, or a hostile user / user without an id
      a.from = variant === 2 ? { ...this.hostileFrom(), id: this.pick(HOSTILE_USERS).id } : a.from;
      if (variant === 5) (value as any).action.data = this.brokenData();
    }
    return { kind: 'invoke', legit: false, body: { ...a, type: 'invoke', name, replyToId: this.card.activityId, value } };
  }

  hostileMessage(): Generated {
    this.note('message: hostile text / names');
    const a = this.envelope(this.hostileFrom(), `${this.env.channelId};messageid=${Math.floor(this.r() * 1e9)}`);
    const text = this.pick([
      () => `<at>Rounds</at> ${this.hostileString()}`,
      () => this.hostileString(),
      () => `<at>Rounds</at> set timezone ${this.hostileString()}`,
      () => `<at>Rounds</at> check ${this.hostileString()}`,
      () => this.weird(),
    ])();
    if (this.chance(0.3)) a.channelData.team.name = this.hostileString();
    if (this.chance(0.2)) a.entities = this.pick([this.weird(), [{ type: 'mention', text: this.hostileString(), mentioned: this.weird() }], [{ type: this.hostileString() }]]);
    if (this.chance(0.1)) a.attachments = [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { body: this.hostileString() } }, this.weird()];
    if (this.chance(0.1)) a.value = this.weird();
    return { kind: 'message', legit: false, body: { ...a, type: 'message', text, textFormat: this.pick(['plain', 'markdown', 'xml', this.hostileString()]) } };
  }

  /** Envelope fields of the wrong type (these can never name a conversation, so they must not create one). */
  wrongTypes(): Generated {
    this.note('envelope: wrong types / missing fields');
    const a = this.envelope(this.hostileFrom());
    const field = this.pick(['conversation', 'conversation.id', 'recipient', 'from', 'channelData', 'channelData.tenant', 'channelData.tenant.id', 'serviceUrl', 'timestamp', 'channelId', 'id', 'replyToId'] as const);
    const [top, ...rest] = field.split('.');
    const v = this.weird();
    if (rest.length === 0) a[top] = v;
    else if (rest.length === 1) a[top] = { ...(a[top] ?? {}), [rest[0]]: v };
    else a[top] = { ...(a[top] ?? {}), [rest[0]]: { [rest[1]]: v } };
    const conversationSafe = field === 'conversation' || field === 'conversation.id' || field.startsWith('channelData.tenant') || field === 'channelData';
    if (!conversationSafe) {
      // When the conversation is still valid, make sure the turn cannot be a valid ack either.
      a.from = this.hostileFrom();
    }
    const type = this.pick(['message', 'invoke', 'conversationUpdate', 'installationUpdate']);
    const body: Record<string, unknown> = { ...a, type, text: this.hostileString() };
    if (type === 'invoke') Object.assign(body, { name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'ack', data: this.brokenData() } } });
    if (type === 'installationUpdate') body.action = this.pick(['add', 'remove', this.weird()]);
    if (type === 'conversationUpdate') body.membersAdded = this.pick([this.weird(), [{ id: this.env.bot.id }], [this.weird()]]);
    // installationUpdate/conversationUpdate with a broken conversation cannot install; with a valid one it is a
    // reinstall of the known channel, which creates nothing new.
    return { kind: 'wrong-types', legit: false, body };
  }

  /** `__proto__` / `constructor` keys at every level, sent as raw JSON so they arrive as own properties. */
  protoKeys(): Generated {
    this.note('__proto__/constructor keys (raw JSON)');
    const a = this.envelope(this.hostileFrom());
    const inv = {
      ...a,
      type: this.pick(['invoke', 'message']),
      name: 'adaptiveCard/action',
      text: this.hostileString(),
      value: { action: { type: 'Action.Execute', verb: 'ack', data: this.brokenData() }, trigger: 'manual' },
    };
    let json = JSON.stringify(inv);
    const evil = this.pick([
      '"__proto__":{"isAdmin":true,"allowed":true,"localMode":true}',
      '"constructor":{"prototype":{"polluted":"yes"}}',
      '"__proto__":{"__proto__":{"deep":1}}',
      '"__proto__":null',
      '"toString":"x","valueOf":1,"hasOwnProperty":"y"',
    ]);
    const at = this.pick(['{', '"value":{', '"action":{', '"from":{', '"channelData":{', '"conversation":{']);
    const i = json.indexOf(at);
    json = `${json.slice(0, i + at.length)}${evil},${json.slice(i + at.length)}`;
    return { kind: 'proto', legit: false, body: json };
  }

  otherActivity(): Generated {
    this.note('other / unknown activity types');
    const a = this.envelope(this.hostileFrom());
    const type = this.pick(['typing', 'event', 'messageReaction', 'messageUpdate', 'messageDelete', 'endOfConversation', 'trace', 'handoff', 'x-evil', this.hostileString(), 'conversationUpdate']);
    const body: Record<string, unknown> = { ...a, type, name: this.hostileString(), value: this.weird() };
    if (type === 'conversationUpdate') {
      body.membersRemoved = this.pick([[{ id: this.pick(HOSTILE_USERS).id }], this.weird()]);
      body.channelData = { ...a.channelData, eventType: this.pick(['channelRenamed', 'teamRenamed', this.hostileString()]), channel: { id: this.env.channelId, name: this.hostileString() } };
    }
    return { kind: 'other', legit: false, body };
  }

  /** A valid-looking ack for the real post sent from another conversation or tenant: refused by the store check. */
  foreignEnvelope(): Generated {
    this.note('cross-channel / cross-tenant card use');
    const u = this.pick(HOSTILE_USERS);
    const a = this.envelope({ id: u.id, name: this.hostileString(), aadObjectId: u.aadObjectId }, '19:elsewhere@thread.tacv2;messageid=1');
    a.channelData.channel = { id: '19:elsewhere@thread.tacv2' };
    a.conversation.id = '19:elsewhere@thread.tacv2;messageid=1';
    // Stays in the known conversation id space: make it the *known* channel but another tenant half the time.
    if (this.chance(0.5)) {
      a.channelData.channel = { id: this.env.channelId };
      a.conversation.id = this.card.threadId;
      a.channelData.tenant = { id: '0b0b0b0b-1111-4222-8333-444444444444' };
      a.conversation.tenantId = '0b0b0b0b-1111-4222-8333-444444444444';
    }
    return {
      kind: 'foreign',
      legit: false,
      body: { ...a, type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'ack', data: this.validData() }, trigger: 'manual' } },
    };
  }
}
