// The ai function's routes for the site (docs/api.md "ai"): summaries, the suggestion, team settings.
import { request } from './api.js';

export interface SummaryView { text: string; source: 'gemini' | 'statistical'; model?: string; round: number; createdAt: string }
export interface SuggestionView { estimate: string; confidence: number; rationale: string; basedOn: { key?: string; title: string; finalEstimate: string; hoursLogged?: number }[] }
export interface SessionSummaryView { text: string; clientSafeText: string; source: 'gemini' | 'statistical'; model?: string; createdAt: string; outOfDate?: boolean }
export interface AiSettingsView {
  settings: { enabled: boolean; dailyQuota: number };
  deployment: { model: string; location: string };
  usage: { day: string; requests: number; inputTokens: number; outputTokens: number }[];
}

export function aiApi(sessionId: string) {
  const issue = (issueId: string) => `/api/ai/sessions/${encodeURIComponent(sessionId)}/issues/${encodeURIComponent(issueId)}`;
  return {
    summary: (issueId: string) => request<{ summary: SummaryView | null }>('GET', `${issue(issueId)}/summary`),
    summarise: (issueId: string) => request<{ summary: SummaryView }>('POST', `${issue(issueId)}/summary`),
    sessionSummary: () => request<{ summary: SessionSummaryView | null }>('GET', `/api/ai/sessions/${encodeURIComponent(sessionId)}/summary`),
    summariseSession: () => request<{ summary: SessionSummaryView }>('POST', `/api/ai/sessions/${encodeURIComponent(sessionId)}/summary`),
    /** The export's text file beside results.csv (a plain link: the session cookie goes with it). */
    sessionSummaryUrl: `/api/ai/sessions/${encodeURIComponent(sessionId)}/summary.txt`,
    suggestion: (issueId: string) => request<{ suggestion: SuggestionView | null; source: string | null; hiddenUntilReveal: boolean }>('GET', `${issue(issueId)}/suggestion`),
  };
}

export const aiSettingsApi = {
  get: (tenantId: string) => request<AiSettingsView>('GET', `/api/ai/teams/${encodeURIComponent(tenantId)}/settings`),
  put: (tenantId: string, enabled: boolean, dailyQuota: number) => request<AiSettingsView>('PUT', `/api/ai/teams/${encodeURIComponent(tenantId)}/settings`, { enabled, dailyQuota }),
};
