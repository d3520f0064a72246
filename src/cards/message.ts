import { expand, type AdaptiveCard } from './templates';

/** Typed model of cards/message.json: a short notice or error. */
export interface MessageCardModel {
  heading: string;
  text: string;
  hint: string;
  reference: string;
  color: 'Default' | 'Good' | 'Warning' | 'Attention' | 'Accent';
}

export function renderMessage(m: Partial<MessageCardModel> & Pick<MessageCardModel, 'heading' | 'text'>): AdaptiveCard {
  return expand('message', { hint: '', reference: '', color: 'Default', ...m });
}

/** What the user sees when something went wrong: what happened, what to do, and an id to quote to an admin. */
export function renderError(text: string, hint: string, reference = ''): AdaptiveCard {
  return renderMessage({ heading: 'Rounds could not do that', text, hint, reference, color: 'Attention' });
}
