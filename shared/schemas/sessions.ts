// Shapes of the sessions API, declared once.
import * as z from 'zod';
import { BUILT_IN_DECKS, customDeckProblem } from '../domain/decks.js';
import { DisplayName } from './display-name.js';
import { plainText } from '../domain/round-summary.js';
import type { WriteBackTally } from '../domain/write-back-tally.js';

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
export const ListSessionsQuery = z.strictObject({ tenantId: Id, clientId: Id.optional() });
/** Assigns the session to a client of its team, or to none. */
export const UpdateSessionBody = z.strictObject({ clientId: Id.nullable() });
export const SessionPath = z.strictObject({ id: Id });

export type { WriteBackTally };
export interface SessionView {
  id: string; tenantId: string; clientId: string | null; name: string; ownerUid: string;
  deck: { name: string; values: string[] }; status: 'open' | 'closed'; autoReveal: boolean;
  joinCode: string; currentIssueId: string | null; round: number; revealed: boolean; createdAt: string;
  /** How its final estimates fared in Jira through the Reckon app (issue #21): issues per outcome. */
  writeBacks: WriteBackTally;
}

export const IssuePath = z.strictObject({ id: Id, issueId: Id });

const Title = z.string().trim().min(1, 'Give the issue a title.').max(200, 'Use at most 200 characters.');
const Description = z.string().max(10_000, 'Use at most 10,000 characters.');

/** Either issues one by one, or a pasted list: one issue per line. */
export const AddIssuesBody = z.union([
  z.strictObject({ issues: z.array(z.strictObject({ title: Title, description: Description.optional() })).min(1).max(200, 'Add at most 200 issues at once.') }),
  z.strictObject({ text: z.string().min(1).max(50_000, 'Paste at most 50,000 characters at once.') }),
]);
export const EditIssueBody = z.strictObject({ title: Title.optional(), description: Description.optional() })
  .refine((b) => b.title !== undefined || b.description !== undefined, 'Change the title or the description.');
export const ReorderIssuesBody = z.strictObject({ issueIds: z.array(Id).min(1).max(500) });

export const SetCurrentBody = z.strictObject({ issueId: Id });
/** The round the moderator saw, so a double click does not act twice. */
export const RoundBody = z.strictObject({ round: z.number().int().min(1).max(10_000).optional() }).optional();
export const FinalizeBody = z.strictObject({
  issueId: Id,
  /** Any deck card or a free value; null clears the estimate. */
  estimate: z.string().trim().min(1, 'Give an estimate.').max(16, 'Use at most 16 characters.').nullable(),
});

export const Role = z.enum(['voter', 'spectator']);
export const JoinBody = z.strictObject({ role: Role.default('voter'), displayName: DisplayName.optional() }).optional();
export const GuestJoinBody = z.strictObject({
  /** As typed: any case, spaces and dashes are fine. */
  joinCode: z.string().min(1, 'Enter the join code.').max(32),
  displayName: DisplayName,
  role: Role.default('voter'),
});

export const VotePath = z.strictObject({ sessionId: Id });
/**
 * `note`: an optional reason for the card (issue #18), plain text, ≤ 280 characters; an empty one is
 * no note. Control and bidi characters become spaces and spaces collapse (one line), as in the
 * summaries: a note is shown to the whole room and must not reorder or hide what is around it.
 */
export const CastVoteBody = z.strictObject({
  issueId: Id, round: z.number().int().min(1).max(10_000), value: z.string().min(1).max(16),
  note: z.string().max(280).transform((n) => plainText(n, 280)).optional().nullable(),
});
export const RetractVoteQuery = z.strictObject({ issueId: Id, round: z.coerce.number().int().min(1).max(10_000) });
