import { expand, type AdaptiveCard } from './templates';

/** Typed model of cards/history.json. */
export interface HistoryCardModel {
  heading: string;
  subheading: string;
  weeks: Array<{ period: string; progress: string; detail: string }>;
  footnote: string;
}

export function renderHistory(model: HistoryCardModel): AdaptiveCard {
  return expand('history', model);
}
