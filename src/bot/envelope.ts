import { z } from 'zod';

const id = (max: number) => z.string().min(1).max(max);
const name = z.string().max(1024).optional().nullable();
const account = (required: boolean) => {
  const o = z.object({ id: id(512), name, aadObjectId: z.string().max(128).optional().nullable(), role: z.string().max(64).optional().nullable() }).passthrough();
  return required ? o : o.optional();
};

/**
 * The envelope of an inbound activity: the fields botbuilder and teams-ai read before any of our code runs
 * (turn-state keys from channelId/recipient/conversation/from, the connector client from serviceUrl, mention
 * removal from text/entities), plus the ones we store a conversation under (tenant, team, channel).
 * Wrong types there crash SDK code (TypeError, serializer errors) or could be written into a target, so such an
 * activity is answered 400 before the turn starts. Content (text, card data) is validated where it is used.
 */
export const envelopeSchema = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(1024).optional().nullable(),
    name: z.string().max(256).optional().nullable(),
    channelId: id(64),
    serviceUrl: z
      .string()
      .max(2048)
      .refine((u) => /^https?:\/\/[^\s/]+/i.test(u), 'must be an http(s) URL'),
    conversation: z
      .object({ id: id(1024), tenantId: z.string().max(128).optional().nullable(), name, conversationType: z.string().max(64).optional().nullable(), isGroup: z.boolean().optional().nullable() })
      .passthrough(),
    from: account(true),
    recipient: account(true),
    replyToId: z.string().max(1024).optional().nullable(),
    text: z.string().max(100_000).optional().nullable(),
    textFormat: z.string().max(64).optional().nullable(),
    locale: z.string().max(64).optional().nullable(),
    entities: z.array(z.object({ type: z.string().max(256) }).passthrough()).max(100).optional().nullable(),
    attachments: z.array(z.object({ contentType: z.string().max(256) }).passthrough()).max(50).optional().nullable(),
    membersAdded: z.array(account(true)).max(1000).optional().nullable(),
    membersRemoved: z.array(account(true)).max(1000).optional().nullable(),
    channelData: z
      .object({
        tenant: z.object({ id: z.string().max(128) }).passthrough().optional().nullable(),
        team: z.object({ id: z.string().max(1024).optional().nullable(), name, aadGroupId: z.string().max(128).optional().nullable() }).passthrough().optional().nullable(),
        channel: z.object({ id: z.string().max(1024).optional().nullable(), name }).passthrough().optional().nullable(),
        eventType: z.string().max(128).optional().nullable(),
      })
      .passthrough()
      .optional()
      .nullable(),
  })
  .passthrough();

/** Where the envelope is wrong (paths only, never values), or undefined when it is fine. */
export function envelopeProblems(activity: unknown): string[] | undefined {
  const r = envelopeSchema.safeParse(activity);
  return r.success ? undefined : [...new Set(r.error.issues.map((i) => i.path.join('.') || '(root)'))].slice(0, 5);
}
