// Inputs of the ai function (/api/ai/**).
import * as z from 'zod';

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a valid id.');

export const AiSessionPath = z.strictObject({ sessionId: Id });
export const AiIssuePath = z.strictObject({ sessionId: Id, issueId: Id });
export const AiTeamPath = z.strictObject({ tenantId: Id });
export const AiSettingsBody = z.strictObject({ enabled: z.boolean(), dailyQuota: z.number().int().min(1).max(10_000) });
