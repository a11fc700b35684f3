// A team's AI settings and usage, for its admins. Off by default: a team opts in.
import { defineRoute } from '../../shared/http/router.js';
import { AiSettingsBody, AiTeamPath } from '../../shared/schemas/ai.js';
import { requireTeam } from '../../shared/access/authorize.js';
import { aiConfig } from '../../shared/config/ai.js';
import { getAiSettings, listAiUsage, putAiSettingsIn } from '../../shared/store/ai-settings.js';
import { recordAuditIn } from '../../shared/store/audit-events.js';
import { getDb } from '../../shared/store/firestore.js';
import type { HandlerContext } from '../../shared/http/router.js';

async function settingsView(ctx: HandlerContext, tenantId: string) {
  const [settings, usage] = await Promise.all([getAiSettings(tenantId), listAiUsage(tenantId, ctx.now)]);
  const ai = aiConfig(ctx.config);
  return {
    settings: { enabled: settings.enabled, dailyQuota: settings.dailyQuota },
    deployment: { model: ai.model, location: ai.location },
    usage: usage.map((u) => ({ day: u.day, requests: u.requests, inputTokens: u.inputTokens, outputTokens: u.outputTokens })),
  };
}

const read = defineRoute({
  method: 'GET', path: '/api/ai/teams/:tenantId/settings', permission: 'team.admin', params: AiTeamPath,
  async handler({ params }, ctx) {
    requireTeam(ctx, 'team.admin', params.tenantId, 'AI settings');
    return { body: await settingsView(ctx, params.tenantId) };
  },
});

const update = defineRoute({
  method: 'PUT', path: '/api/ai/teams/:tenantId/settings', permission: 'team.admin', params: AiTeamPath, body: AiSettingsBody,
  async handler({ params, body }, ctx) {
    const { uid } = requireTeam(ctx, 'team.admin', params.tenantId, 'AI settings');
    const before = await getAiSettings(params.tenantId);
    if (before.enabled !== body.enabled || before.dailyQuota !== body.dailyQuota) {
      const batch = getDb().batch();
      putAiSettingsIn(batch, params.tenantId, { enabled: body.enabled, dailyQuota: body.dailyQuota }, ctx.now);
      recordAuditIn(batch, {
        tenantId: params.tenantId, at: ctx.now, actorUid: uid, action: 'ai.settings_changed', target: { type: 'team', id: params.tenantId },
        details: { enabled: body.enabled ? 'on' : 'off', dailyQuota: body.dailyQuota },
      });
      await batch.commit();
    }
    return { body: await settingsView(ctx, params.tenantId) };
  },
});

export const settingsRoutes = [read, update];
