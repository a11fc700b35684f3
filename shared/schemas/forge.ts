// Shapes of the Forge API: installations (cookie-authenticated, tenant admins) and what a Forge
// app sends (signed; validated only after the signature checked out).
import type { ApprovalView } from '../domain/room-state.js';
import type { WriteBackView } from '../domain/jira-link.js';
import * as z from 'zod';
import { JiraKey } from './jira.js';
import { parseJiraSite } from '../domain/jira-site.js';

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a valid id.');
/** An Atlassian cloud id (a site's tenant id in Atlassian's cloud) is a UUID. */
export const CloudId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'Not an Atlassian cloud id (a lowercase UUID).');
/** Delivery ids become part of a document id: UUIDs and similar, nothing else. */
export const DeliveryId = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'Not a delivery id (8–100 letters, digits, - or _).');

export const InstallationTenantQuery = z.strictObject({ tenantId: Id });
export const InstallationPath = z.strictObject({ cloudId: CloudId });
/** What the Forge app's admin page sends to bind its site (the site itself is in the invocation token). */
/** Rotation asks for nothing: an empty body or {}. */
export const RotateBody = z.strictObject({}).optional();
export const BindBody = z.strictObject({ code: z.string().regex(/^rkc_[A-Za-z0-9_-]{22}$/, 'Not a Reckon connect code (rkc_ and 22 characters).') });

/** `ari:cloud:jira:<cloudId>:issue/<id>`: Atlassian's resource identifier names its site. */
const IssueAri = z.string().regex(/^ari:cloud:jira:[0-9a-f-]{36}:issue\/[0-9]{1,18}$/, 'Not a Jira issue ARI.');

/** A Jira issue as the Forge app read it (`requestJira` or the product event): REST v3's shape. */
const ForgeIssue = z.strictObject({
  key: JiraKey,
  id: z.string().regex(/^[0-9]{1,18}$/).optional(),
  ari: IssueAri.optional(),
  cloudId: CloudId.optional(),
  /** Jira's `fields` map as returned by REST v3 (summary, description in ADF, issuetype, status, …). */
  fields: z.record(z.string().regex(/^[a-z][A-Za-z0-9_]{0,63}$/), z.unknown()).refine((f) => typeof f.summary === 'string' && f.summary.trim().length > 0 && f.summary.length <= 1000, 'fields.summary must be the issue summary.').optional(),
  /** The story points as the app knows them (Reckon cannot tell which custom field holds them). */
  storyPoints: z.number().min(0).max(10_000).nullable().optional(),
});
const IssueRef = z.strictObject({ key: JiraKey, id: z.string().regex(/^[0-9]{1,18}$/).optional(), ari: IssueAri.optional(), cloudId: CloudId.optional() });

export const MAX_REQUESTED_ISSUES = 50;

export const ForgeEvent = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('issue_updated'), cloudId: CloudId, issue: ForgeIssue.refine((i) => i.fields !== undefined, 'issue.fields is required.') }),
  z.strictObject({ type: z.literal('issue_deleted'), cloudId: CloudId, issue: IssueRef }),
  z.strictObject({
    type: z.literal('estimation_requested'), cloudId: CloudId,
    /** The Jira site's address, for issue links when Reckon has no connection to it. */
    siteUrl: z.string().max(200).superRefine((url, c) => { const site = parseJiraSite(url); if (!site.ok) c.addIssue({ code: 'custom', message: site.problem }); }),
    issues: z.array(ForgeIssue).min(1).max(MAX_REQUESTED_ISSUES, `Request at most ${MAX_REQUESTED_ISSUES} issues per event.`),
  }),
  z.strictObject({ type: z.literal('app_uninstalled'), cloudId: CloudId }),
], { error: (issue) => (issue.code === 'invalid_union' ? 'Unknown event type: use issue_updated, issue_deleted, estimation_requested or app_uninstalled.' : undefined) });
export type ForgeEvent = z.infer<typeof ForgeEvent>;

export const MAX_ESTIMATE_KEYS = 100;
export const EstimatesQuery = z.strictObject({
  keys: z.string().max(100 * 32).transform((s) => [...new Set(s.split(',').map((k) => k.trim()).filter(Boolean))])
    .pipe(z.array(JiraKey).min(1, 'Name at least one issue key.').max(MAX_ESTIMATE_KEYS, `Ask for at most ${MAX_ESTIMATE_KEYS} keys at once.`)),
});

export interface InstallationView {
  cloudId: string; tenantId: string; status: 'active' | 'revoked';
  /** The Forge installation that bound the site, and its environment (from Atlassian's token). */
  installationId: string | null; environment: string | null; createdAt: string; rotatedAt: string | null;
  previousSecretValidUntil: string | null; revokedAt: string | null; lastDeliveryAt: string | null;
}

export const MAX_WRITE_BACK_OUTCOMES = 100;
/** What the Forge app reports after trying to write final estimates into Jira. */
export const WriteBackBody = z.strictObject({
  outcomes: z.array(z.strictObject({
    key: JiraKey, sessionId: Id, issueId: Id, estimate: z.string().min(1).max(20),
    status: z.enum(['written', 'skipped_changed_by_hand', 'failed']),
    /** Jira's own words when it refused (e.g. the field is not on the edit screen). */
    message: z.string().max(500).default(''),
  })).min(1).max(MAX_WRITE_BACK_OUTCOMES, `Report at most ${MAX_WRITE_BACK_OUTCOMES} outcomes at once.`),
});
export const WriteBackRetryPath = z.strictObject({ sessionId: Id, issueId: Id });
export const WriteBackSessionPath = z.strictObject({ sessionId: Id });

export interface EstimateView {
  key: string; finalEstimate: string; estimatedAt: string; session: { id: string; name: string; url: string };
  /** The issue in that session the estimate belongs to (write-back outcomes name it). */
  issueId: string;
  /** The app's last reported write of this issue's estimate into Jira, null when none. */
  writeBack: WriteBackView | null;
  /** The estimate the app last wrote into Jira for this key (any session of the team): the field
   *  still holding it means nobody changed it by hand. */
  lastWrittenEstimate: string | null;
  /** The client's decision on this estimate through the client portal (issue #17), or null. */
  approval: ApprovalView | null;
}
