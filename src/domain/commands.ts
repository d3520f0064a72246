/**
 * Chat commands: an explicit list, matched case-insensitively on whole words, anchored at both ends, after the
 * bot's @mention has been removed. Names and usages are part of the product (README, app manifest): add, never rename.
 */
export type CommandName =
  | 'help'
  | 'post-checklist'
  | 'status'
  | 'check'
  | 'subscribe'
  | 'unsubscribe'
  | 'subscriptions'
  | 'set-timezone'
  | 'history'
  | 'export';

export interface CommandSpec {
  name: CommandName;
  usage: string;
  description: string;
  pattern: RegExp;
  hidden?: boolean;
}

export const COMMANDS: CommandSpec[] = [
  { name: 'help', usage: 'help', description: 'What Rounds does and the commands', pattern: /^(help|\?|commands)$/ },
  {
    name: 'post-checklist',
    usage: 'post checklist',
    description: "Post this week's checklist card as a new post (once per week)",
    pattern: /^post(\s+(the\s+)?checklist)?$/,
  },
  { name: 'status', usage: 'status', description: "This week's items: who acknowledged and when, or pending", pattern: /^status$/ },
  {
    name: 'check',
    usage: 'check <item>',
    description: 'Run a check now: connectors, secure score (posture, sspm), message center (changes), governance, all',
    pattern: /^check(\s+(?<args>.+))?$/,
  },
  { name: 'subscribe', usage: 'subscribe', description: 'Post the weekly checklist here on schedule', pattern: /^subscribe$/ },
  { name: 'unsubscribe', usage: 'unsubscribe', description: 'Stop the weekly post here', pattern: /^unsubscribe$/ },
  { name: 'subscriptions', usage: 'subscriptions', description: 'Where this bot posts', pattern: /^subscriptions$/ },
  {
    name: 'set-timezone',
    usage: 'set timezone <IANA zone>',
    description: "This channel's time zone, e.g. set timezone Europe/Berlin",
    pattern: /^set\s+time\s*zone(\s+(?<args>\S+))?$/,
  },
  { name: 'history', usage: 'history', description: 'The last weeks here: posted, acknowledged, completed by whom', pattern: /^history$/ },
  { name: 'export', usage: 'export', description: 'Download the audit trail of this channel as CSV', pattern: /^export(\s+csv)?$/ },
];

export type ParsedCommand = { name: CommandName; args: string } | { name: 'unknown'; text: string } | { name: 'empty' };

/** Remove Teams mention markup (`<at>Rounds</at>`), HTML entities and extra space. */
export function normaliseCommandText(text: unknown): string {
  const s = typeof text === 'string' ? text.slice(0, 2000) : '';
  return s
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/[\u00a0\u200b]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!]+$/, '')
    .toLowerCase();
}

export function parseCommand(text: unknown): ParsedCommand {
  const t = normaliseCommandText(text);
  if (!t) return { name: 'empty' };
  for (const c of COMMANDS) {
    const m = c.pattern.exec(t);
    if (m) return { name: c.name, args: (m.groups?.args ?? '').trim() };
  }
  return { name: 'unknown', text: t };
}
