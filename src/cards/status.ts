import { expand, type AdaptiveCard } from './templates';

/** Typed model of cards/status.json. */
export interface StatusCardModel {
  heading: string;
  subheading: string;
  rows: Array<{ title: string; value: string }>;
  progress: string;
  link: string;
}

export function renderStatus(model: StatusCardModel): AdaptiveCard {
  return expand('status', model);
}
