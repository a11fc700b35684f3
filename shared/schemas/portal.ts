// Shapes of the client portal API (issue #17): clients, portal links, redeeming, portal users,
// the client's estimates and approvals. Declared once; the site imports the types.
import * as z from 'zod';
import { DisplayName } from './display-name.js';

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a valid id.');

export const ClientName = DisplayName;
export const CreateClientBody = z.strictObject({ tenantId: Id, name: ClientName });
export const ListClientsQuery = z.strictObject({ tenantId: Id });
export const ClientPath = z.strictObject({ clientId: Id });
export const UpdateClientBody = z.strictObject({ name: ClientName.optional(), archived: z.boolean().optional() })
  .refine((b) => b.name !== undefined || b.archived !== undefined, 'Change the name or archive/unarchive.');

export const LINK_DAYS = { min: 1, max: 30, default: 7 } as const;
export const CreateLinkBody = z.strictObject({
  expiresInDays: z.number().int().min(LINK_DAYS.min).max(LINK_DAYS.max).default(LINK_DAYS.default),
  note: z.string().trim().max(200, 'Use at most 200 characters.').optional(),
});
export const LinkPath = z.strictObject({ clientId: Id, linkId: Id });
export const PortalUserPath = z.strictObject({ clientId: Id, uid: Id });
/** Any string: a token of the wrong shape or kind answers the same 404 as an unknown one. */
export const RedeemBody = z.strictObject({ token: z.string().min(1).max(4096) });

export const APPROVAL_DECISIONS = ['approved', 'declined'] as const;
export const APPROVAL_COMMENT_MAX = 2000;
export const ApprovalBody = z.strictObject({
  decision: z.enum(APPROVAL_DECISIONS),
  comment: z.string().trim().max(APPROVAL_COMMENT_MAX, `Use at most ${APPROVAL_COMMENT_MAX} characters.`).optional(),
});
export const ApprovalPath = z.strictObject({ clientId: Id, sessionId: Id, issueId: Id });
export const EstimateStatus = z.enum(['all', 'pending', 'approved', 'declined']);
export const ESTIMATES_PAGE = 50;
export const EstimatesQuery = z.strictObject({
  status: EstimateStatus.default('all'),
  /** The `next` of the previous page. */
  cursor: z.string().regex(/^[0-9]{1,15}\.[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,64}$/, 'Not a cursor of this list.').optional(),
});

export interface ClientView { id: string; tenantId: string; name: string; archived: boolean; createdAt: string }
export type LinkStatus = 'active' | 'expired' | 'used' | 'revoked';
export interface LinkView {
  id: string; clientId: string; note: string; status: LinkStatus; expiresAt: string; createdAt: string;
  createdBy: { uid: string; displayName: string } | null; usedBy: { uid: string; displayName: string } | null; usedAt: string | null; revokedAt: string | null;
}
export interface CreatedLink { link: { id: string; expiresAt: string; note: string }; url: string }
export interface PortalAccessView { tenantId: string; clientId: string; clientName: string; teamName: string }
export interface PortalUserView { uid: string; displayName: string; email: string; grantedAt: string }
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];
export type { ApprovalView } from '../domain/room-state.js';
import type { ApprovalView } from '../domain/room-state.js';
export interface EstimateSummary { rounds: number; voters: number; consensus: boolean; range: { lowest: string; highest: string } | null }
export interface EstimateView {
  sessionId: string; sessionName: string;
  issue: { id: string; title: string; jira: { key: string; url: string } | null };
  finalEstimate: string; estimatedAt: string;
  /** Statistical and client-safe: no names, no cards. */
  summary: EstimateSummary;
  approval: ApprovalView | null;
}
