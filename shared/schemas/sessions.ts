// Shapes of the sessions API, declared once.
import { z } from 'zod';
import { BUILT_IN_DECKS, customDeckProblem } from '../domain/decks.js';

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a valid id.');
const builtInNames = Object.keys(BUILT_IN_DECKS) as [keyof typeof BUILT_IN_DECKS, ...(keyof typeof BUILT_IN_DECKS)[]];

export const DeckInput = z.union([
  z.enum(builtInNames),
  z.strictObject({ custom: z.array(z.string().max(32)).max(50) }).superRefine((d, ctx) => {
    const problem = customDeckProblem(d.custom);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['custom'] });
  }),
]);

export const CreateSessionBody = z.strictObject({
  tenantId: Id,
  name: z.string().trim().min(1, 'Name the session.').max(100, 'Use at most 100 characters.'),
  deck: DeckInput,
  clientId: Id.optional(),
  /** Reveal by itself once every voter has voted (on by default). */
  autoReveal: z.boolean().default(true),
});
export const ListSessionsQuery = z.strictObject({ tenantId: Id });
export const SessionPath = z.strictObject({ id: Id });

export interface SessionView {
  id: string; tenantId: string; clientId: string | null; name: string; ownerUid: string;
  deck: { name: string; values: string[] }; status: 'open' | 'closed'; autoReveal: boolean;
  joinCode: string; currentIssueId: string | null; round: number; revealed: boolean; createdAt: string;
}
