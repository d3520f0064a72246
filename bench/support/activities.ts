import * as teams from '../../test/support/teams-activities';

/**
 * Activities for the benchmarks: the tests' Teams-shaped builders (test/support/teams-activities.ts), for many
 * distinct users and channels of the same team.
 */
export const { TENANT, TEAM, BOT } = teams;
export type BenchUser = teams.User;

export function user(i: number): BenchUser {
  return {
    id: `29:bench-user-${i}`,
    name: `Bench User ${String(i).padStart(3, '0')}`,
    aadObjectId: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
  };
}

export function channel(name: string): string {
  return `19:bench-${name}@thread.tacv2`;
}

export function installationAdd(serviceUrl: string, channelId: string, from = user(0)) {
  return teams.installationAdd(serviceUrl, from, channelId);
}

export function channelMessage(serviceUrl: string, channelId: string, text: string, from = user(0)) {
  return teams.channelMessage(serviceUrl, text, from, channelId);
}

/** An Action.Execute click on a card in a channel thread. */
export function cardAction(
  serviceUrl: string,
  channelId: string,
  thread: { conversationId: string; activityId: string },
  verb: string,
  data: unknown,
  from: BenchUser,
) {
  return teams.cardAction(serviceUrl, verb, data, from, thread, 'manual', channelId);
}
