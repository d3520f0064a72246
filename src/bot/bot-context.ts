import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Services } from '../services';

/** What every route gets. */
export interface BotContext {
  config: Config;
  logger: Logger;
  services: Services;
  /** Human-readable schedule for the welcome/help cards. */
  scheduleText(timeZone: string): string;
  /** Where download links point (PUBLIC_BASE_URL, or the local address in local mode). */
  publicBaseUrl(): string | undefined;
}
