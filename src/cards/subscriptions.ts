import { expand, type AdaptiveCard } from './templates';

/** Typed model of cards/subscriptions.json. */
export interface SubscriptionsCardModel {
  heading: string;
  rows: Array<{ title: string; value: string }>;
  footnote: string;
}

export function renderSubscriptions(model: SubscriptionsCardModel): AdaptiveCard {
  return expand('subscriptions', model);
}
