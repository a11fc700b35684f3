// The pure team rules: the last admin, who inherits sessions, and when an invite still works.
import { describe, it, expect } from 'vitest';
import { adminsToHold, inviteStatus, leavesNoAdmin, sessionHeir, type TeamMember } from '../../shared/domain/teams.js';

const team: TeamMember[] = [
  { uid: 'ann', role: 'admin', joinedAt: 3 },
  { uid: 'bob', role: 'admin', joinedAt: 1 },
  { uid: 'cat', role: 'member', joinedAt: 2 },
];
const soloAdmin = team.filter((m) => m.uid !== 'bob');

describe('the last-admin rule', () => {
  it('refuses to demote or remove the only admin, and allows it while another admin remains', () => {
    expect(leavesNoAdmin(soloAdmin, 'ann', 'member')).toBe(true);
    expect(leavesNoAdmin(soloAdmin, 'ann', null)).toBe(true);
    expect(leavesNoAdmin(team, 'ann', null)).toBe(false);
    expect(leavesNoAdmin(soloAdmin, 'cat', null)).toBe(false);
    expect(leavesNoAdmin(soloAdmin, 'ann', 'admin')).toBe(false);
  });

  it('holds the other admins only when an admin steps down', () => {
    expect(adminsToHold(team, 'ann', 'member').map((m) => m.uid)).toEqual(['bob']);
    expect(adminsToHold(team, 'cat', null)).toEqual([]);
    expect(adminsToHold(team, 'cat', 'admin')).toEqual([]);
  });
});

describe('who takes over the sessions', () => {
  it('is the remover, or on leaving the longest-standing other admin', () => {
    expect(sessionHeir(team, 'cat', 'ann')).toBe('ann');
    expect(sessionHeir(team, 'cat', null)).toBe('bob');
    expect(sessionHeir(team, 'bob', null)).toBe('ann');
    expect(sessionHeir(team, 'cat', 'cat')).toBe('bob');
  });
});

describe('an invite', () => {
  const base = { expiresAt: 1000, maxUses: 2, uses: 0, revokedAt: null };
  it('is active until it expires, is used up or is revoked (revoked first, then expired)', () => {
    expect(inviteStatus(base, 999)).toBe('active');
    expect(inviteStatus(base, 1000)).toBe('expired');
    expect(inviteStatus({ ...base, uses: 2 }, 0)).toBe('used_up');
    expect(inviteStatus({ ...base, uses: 2, revokedAt: 5 }, 2000)).toBe('revoked');
  });
});
