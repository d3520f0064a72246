/**
 * Make user-supplied text (display names, channel names) safe to put in a card TextBlock.
 * Teams renders a markdown subset in TextBlocks, so a name like "[click](https://evil)" would become a link;
 * backslash-escaping the markdown punctuation shows it literally. Template syntax (`${`) is neutralised too, so
 * nothing a user controls can be read as an expression if a card is ever re-templated.
 * https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format
 */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-.!|~<>$]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

export function cleanUserText(value: unknown, max = 80): string {
  const s = typeof value === 'string' ? value : '';
  const flat = s.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  const cut = [...flat].length > max ? [...flat].slice(0, max - 1).join('') + '…' : flat;
  return cut;
}

export function escapeMarkdown(value: string): string {
  return value.replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

/** Clean and escape in one step, for anything a person typed or Teams relayed from a person. */
export function safeUserText(value: unknown, max = 80): string {
  return escapeMarkdown(cleanUserText(value, max)) || 'someone';
}
