// The permission table's rules, on their own (the matrix in test/access plays them over HTTP).
import { describe, it, expect } from 'vitest';
import { decide, PERMISSIONS, PERSONAS } from '../../shared/domain/permissions.js';

describe('the permission table', () => {
  it('answers other teams and missing things alike (404) and 403 only to members who lack the role', () => {
    expect(decide('session.moderate', 'user', 'none')).toEqual({ allow: false, status: 404, code: 'not_found' });
    expect(decide('session.moderate', 'user', 'member')).toEqual({ allow: false, status: 403, code: 'forbidden' });
    expect(decide('team.admin', 'user', 'none')).toMatchObject({ status: 404 });
  });

  it('lets a session owner run their room but not the team', () => {
    expect(decide('session.moderate', 'user', 'owner').allow).toBe(true);
    expect(decide('team.admin', 'user', 'owner')).toMatchObject({ status: 403 });
  });

  it('keeps a guest to the room: participate yes, anything needing a user 401', () => {
    expect(decide('session.participate', 'guest', 'guest').allow).toBe(true);
    for (const p of ['session.read', 'session.moderate', 'team.read', 'account'] as const) expect(decide(p, 'guest', 'guest')).toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('asks an ended token to refresh, except where a cookie is never a credential', () => {
    expect(decide('account', 'ended', 'none')).toMatchObject({ status: 401, code: 'token_expired' });
    expect(decide('forge.signed', 'ended', 'none')).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(decide('scheduler', 'user', 'admin')).toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('grants the portal standing the portal and nothing of a team', () => {
    const granted = (Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]).filter((p) => PERMISSIONS[p].allow !== 'any' && decide(p, 'user', 'client').allow);
    expect(granted).toEqual(['portal.client']);
    expect(decide('portal.client', 'user', 'admin')).toEqual({ allow: false, status: 404, code: 'not_found' });
  });

  it('names every persona of the generated route test once', () => {
    expect(new Set(PERSONAS.map((p) => p.name)).size).toBe(15);
  });
});
