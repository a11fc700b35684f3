// What a Forge app calls, signed (signed-request.ts): events, and the estimates of its tenant.
// Order of checks: signature (nothing read but the installation) → payload valid and naming only
// the installation's cloud id → the delivery id accepted once → the work. Every refusal happens
// before the first write, so a refused call changes nothing.
import { defineRoute, parseBody, parseQuery, type Route, type HandlerContext } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { ForgeEvent, EstimatesQuery, type EstimateView } from '../../shared/schemas/forge.js';
import { recordDelivery, forgetDelivery } from '../../shared/store/forge-installations.js';
import { findIssuesByJiraKeys, type LocatedIssue } from '../../shared/store/issues.js';
import { jiraLinkView, writeBackView } from '../../shared/domain/jira-link.js';
import { getSessionNames } from '../../shared/store/sessions.js';
import { verifySignedRequest, type SignedRequest } from './signed-request.js';
import { applyEvent, cloudIdsIn } from './events.js';
import { approvalView } from '../../shared/domain/room-state.js';

/** Delivery ids are remembered for longer than a timestamp stays acceptable (the TTL field). */
const DELIVERY_MEMORY_MS = 24 * 3600_000;
// Per instance, so that refused calls write no limiter documents either.
const FORGE_LIMIT: RateLimit = { name: 'forge:signed:ip', max: 600, windowS: 60, perInstance: true };
export const forgeLimits = (_in: unknown, ctx: HandlerContext) => [{ limit: FORGE_LIMIT, subject: ctx.clientNetwork }];

/** Accepts the delivery once, runs the work, and forgets the delivery if the work failed on our side. */
export async function once<T>(signed: SignedRequest, now: number, work: () => Promise<T>): Promise<T> {
  if (!(await recordDelivery(signed.cloudId, signed.deliveryId, now, DELIVERY_MEMORY_MS))) {
    throw new HttpError('forge_delivery_replayed', 'This delivery id was already accepted; each request needs a new one.');
  }
  try {
    return await work();
  } catch (e) {
    // A retry with the same delivery id must be possible after our failure (events are idempotent).
    if (!(e instanceof HttpError) || e.status >= 500 || e.code === 'conflict') await forgetDelivery(signed.cloudId, signed.deliveryId).catch(() => undefined);
    throw e;
  }
}

const events = defineRoute({
  method: 'POST', path: '/api/forge/events', permission: 'forge.signed', rawBody: true, rateLimits: forgeLimits,
  async handler(_in, ctx) {
    const signed = await verifySignedRequest(ctx);
    const event = parseBody(ForgeEvent, ctx.request.rawBody);
    if (cloudIdsIn(event).some((id) => id !== signed.cloudId)) {
      throw new HttpError('forge_cloud_id_mismatch', "The payload names a cloud id other than the request's X-Reckon-Cloud-Id.");
    }
    const result = await once(signed, ctx.now, () => applyEvent(event, signed.installation.record, ctx.now));
    return { body: { delivery: signed.deliveryId, type: event.type, ...result } };
  },
});

const estimates = defineRoute({
  method: 'GET', path: '/api/forge/estimates', permission: 'forge.signed', rawBody: true, rateLimits: forgeLimits,
  async handler(_in, ctx) {
    const signed = await verifySignedRequest(ctx);
    const { keys } = parseQuery(EstimatesQuery, ctx.request.target);
    const tenantId = signed.installation.record.tenantId;
    const found = await once(signed, ctx.now, () => findIssuesByJiraKeys(tenantId, keys));
    // Per key, the most recent final estimate across the team's sessions.
    const latest = new Map<string, (typeof found)[number]>();
    for (const f of found) {
      if (f.issue.finalEstimate === null || f.issue.estimatedAt === null) continue;
      const key = f.issue.jira!.key;
      if ((latest.get(key)?.issue.estimatedAt ?? -1) < f.issue.estimatedAt) latest.set(key, f);
    }
    const names = await getSessionNames([...new Set([...latest.values()].map((f) => f.sessionId))], tenantId);
    const site = ctx.config.siteOrigin;
    const list: EstimateView[] = keys.filter((k) => latest.has(k) && names.has(latest.get(k)!.sessionId)).map((key) => {
      const f = latest.get(key)!;
      return {
        key, finalEstimate: f.issue.finalEstimate!, estimatedAt: new Date(f.issue.estimatedAt!).toISOString(),
        session: { id: f.sessionId, name: names.get(f.sessionId)!, url: `${site}/#/s/${f.sessionId}` }, approval: approvalView(f.issue.approval),
        issueId: f.issue.id, writeBack: jiraLinkView(f.issue.jira)!.writeBack, lastWrittenEstimate: lastWritten(found, key),
      };
    });
    return { body: { estimates: list, notEstimated: keys.filter((k) => !list.some((e) => e.key === k)) } };
  },
});

/**
 * The estimate most recently written into Jira for the key, across the team's issues: the kept
 * `lastWritten` (a later failure or retry replaces `writeBack`, not it), or a written `writeBack`
 * stored before it was kept.
 */
function lastWritten(found: LocatedIssue[], key: string): string | null {
  const writes = found.filter((f) => f.issue.jira?.key === key).flatMap((f) => {
    const view = writeBackView(f.issue.jira?.writeBack);
    const kept = f.issue.jira?.lastWritten as { estimate?: unknown; at?: unknown } | undefined;
    return [
      ...(view?.status === 'written' ? [{ estimate: view.estimate, at: Date.parse(view.at) }] : []),
      ...(kept && typeof kept.estimate === 'string' && typeof kept.at === 'number' ? [{ estimate: kept.estimate, at: kept.at }] : []),
    ];
  });
  return writes.sort((a, b) => b.at - a.at)[0]?.estimate ?? null;
}

export const webhookRoutes: Route[] = [events, estimates];
