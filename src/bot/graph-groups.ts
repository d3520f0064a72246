import type { GroupMembership } from '../services/access';

/**
 * GroupMembership over Microsoft Graph `POST /users/{id}/checkMemberGroups` (transitive; at most 20 group ids per
 * call). Needs GroupMember.Read.All (application). Kept behind the port so the checks' Graph client can implement
 * it later. https://learn.microsoft.com/graph/api/directoryobject-checkmembergroups
 */
export class GraphGroupMembership implements GroupMembership {
  constructor(
    private readonly opts: { baseUrl: string; getToken: () => Promise<string>; timeoutMs?: number; fetch?: typeof fetch },
  ) {}

  async memberOf(userId: string, groupIds: string[]): Promise<string[]> {
    const found: string[] = [];
    const doFetch = this.opts.fetch ?? fetch;
    for (let i = 0; i < groupIds.length; i += 20) {
      const chunk = groupIds.slice(i, i + 20);
      const res = await doFetch(`${this.opts.baseUrl.replace(/\/+$/, '')}/v1.0/users/${encodeURIComponent(userId)}/checkMemberGroups`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await this.opts.getToken()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ groupIds: chunk }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
      if (res.status === 404) return []; // unknown user: a member of nothing
      if (!res.ok) throw new Error(`Graph checkMemberGroups answered ${res.status}`);
      const body = (await res.json()) as { value?: unknown };
      if (!Array.isArray(body.value)) throw new Error('Graph checkMemberGroups: unexpected answer');
      found.push(...body.value.filter((v): v is string => typeof v === 'string'));
    }
    return found;
  }
}
