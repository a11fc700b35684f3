// The client portal's calls (docs/api.md "portal"): clients, portal links and portal users for
// team admins; redeeming a link; a portal user's estimates and decisions; sessions and clients.
import type { ApprovalView, ClientView, CreatedLink, EstimateView, LinkView, PortalAccessView, PortalUserView } from '../../shared/schemas/portal.js';
import type { SessionView } from '../../shared/schemas/sessions.js';
import { request } from './api.js';

const enc = encodeURIComponent;
const client = (clientId: string) => `/api/portal/clients/${enc(clientId)}`;

export type EstimateFilter = 'all' | 'pending' | 'approved' | 'declined';

export const portalApi = {
  clients: (tenantId: string) => request<{ clients: ClientView[] }>('GET', `/api/portal/clients?tenantId=${enc(tenantId)}`),
  createClient: (tenantId: string, name: string) => request<{ client: ClientView }>('POST', '/api/portal/clients', { tenantId, name }),
  updateClient: (clientId: string, change: { name?: string; archived?: boolean }) => request<{ client: ClientView }>('PATCH', client(clientId), change),
  links: (clientId: string) => request<{ links: LinkView[] }>('GET', `${client(clientId)}/links`),
  createLink: (clientId: string, body: { expiresInDays: number; note?: string }) => request<CreatedLink>('POST', `${client(clientId)}/links`, body),
  revokeLink: (clientId: string, linkId: string) => request<void>('DELETE', `${client(clientId)}/links/${enc(linkId)}`),
  users: (clientId: string) => request<{ users: PortalUserView[] }>('GET', `${client(clientId)}/users`),
  removeUser: (clientId: string, uid: string) => request<void>('DELETE', `${client(clientId)}/users/${enc(uid)}`),
  redeem: (token: string) => request<{ access: PortalAccessView }>('POST', '/api/portal/links/redeem', { token }),
  access: () => request<{ access: PortalAccessView[] }>('GET', '/api/portal/access'),
  estimates: (clientId: string, status: EstimateFilter, cursor?: string) =>
    request<{ estimates: EstimateView[]; next: string | null }>('GET', `/api/portal/${enc(clientId)}/estimates?status=${status}${cursor ? `&cursor=${enc(cursor)}` : ''}`),
  decide: (clientId: string, e: EstimateView, decision: 'approved' | 'declined', comment: string) =>
    request<{ approval: ApprovalView }>('POST', `/api/portal/${enc(clientId)}/estimates/${enc(e.sessionId)}/${enc(e.issue.id)}/approval`, comment.trim() ? { decision, comment } : { decision }),
  /** The client-safe summary of one of the client's sessions (no names, no votes). */
  sessionSummary: (clientId: string, sessionId: string) =>
    request<{ summary: { sessionId: string; sessionName: string; text: string; source: 'gemini' | 'statistical'; createdAt: string | null } }>('GET', `/api/portal/${enc(clientId)}/sessions/${enc(sessionId)}/summary`),
  /** Sessions of a team, of one client when `clientId` is given. */
  sessions: (tenantId: string, clientId?: string) => request<{ sessions: SessionView[] }>('GET', `/api/sessions?tenantId=${enc(tenantId)}${clientId ? `&clientId=${enc(clientId)}` : ''}`),
  assignSession: (sessionId: string, clientId: string | null) => request<{ session: SessionView }>('PATCH', `/api/sessions/${enc(sessionId)}`, { clientId }),
};

/** A new session, assigned to a client when one is picked. */
export const createSessionFor = (body: { tenantId: string; name: string; deck: string | { custom: string[] }; autoReveal: boolean; clientId?: string }) =>
  request<{ session: SessionView }>('POST', '/api/sessions', body);
