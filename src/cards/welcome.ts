import { COMMANDS } from '../domain/commands';
import { expand, type AdaptiveCard } from './templates';

/** Typed model of cards/welcome.json (also the help card). */
export interface WelcomeCardModel {
  heading: string;
  intro: string;
  commands: Array<{ name: string; description: string }>;
  footnote: string;
}

const INTRO =
  'Rounds posts the Microsoft Defender for Cloud Apps weekly operational checklist here every week, runs each check against Microsoft Graph and the Cloud Apps API when you ask, and records who acknowledged each item, when, and on what evidence.';

function commandRows() {
  return COMMANDS.filter((c) => !c.hidden).map((c) => ({ name: c.usage, description: c.description }));
}

export function renderWelcome(opts: { scheduleText: string }): AdaptiveCard {
  const model: WelcomeCardModel = {
    heading: '👋 Rounds is ready',
    intro: INTRO,
    commands: commandRows(),
    footnote: `${opts.scheduleText} In a channel, @mention Rounds before a command.`,
  };
  return expand('welcome', model);
}

export function renderHelp(opts: { scheduleText: string }): AdaptiveCard {
  const model: WelcomeCardModel = {
    heading: 'Rounds commands',
    intro: INTRO,
    commands: commandRows(),
    footnote: `${opts.scheduleText} In a channel, @mention Rounds before a command.`,
  };
  return expand('welcome', model);
}
