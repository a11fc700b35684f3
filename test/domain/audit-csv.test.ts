// The audit log as CSV: what a spreadsheet shows when the file is opened. Any cell a spreadsheet
// would run as a formula is defused, including random ids that happen to start with '-'.
import { describe, it, expect } from 'vitest';
import { auditCsv } from '../../shared/domain/audit-csv.js';
import type { AuditEventView } from '../../shared/schemas/teams.js';

const event = (over: Partial<AuditEventView> = {}): AuditEventView => ({
  id: 'e1', at: '2026-12-01T10:00:00.000Z', actor: { uid: 'u1', displayName: 'Ada' }, action: 'team.created',
  target: { type: 'team', id: 't1', name: 'Core' }, details: {}, ...over,
});

describe('auditCsv', () => {
  it('writes a header and one CRLF-terminated row per event, in the order given', () => {
    const csv = auditCsv([event({ id: 'e2', action: 'team.renamed', details: { from: 'Core', to: 'Platform' } }), event()]);
    expect(csv.split('\r\n')).toEqual([
      'Time (UTC),Actor,Actor id,Action,Target type,Target id,Target,Details',
      '2026-12-01T10:00:00.000Z,Ada,u1,team.renamed,team,t1,Core,from=Core; to=Platform',
      '2026-12-01T10:00:00.000Z,Ada,u1,team.created,team,t1,Core,',
      '',
    ]);
  });

  it('defuses every cell that starts like a formula, ids with a leading "-" included', () => {
    const csv = auditCsv([event({
      actor: { uid: '-uid', displayName: '@Ada' },
      target: { type: 'team', id: '-H1STJWRPkDHjubwXvS7Vg', name: '=HYPERLINK("http://evil")' },
      details: { note: '+1' },
    })]);
    const row = csv.split('\r\n')[1];
    expect(row).toBe(`2026-12-01T10:00:00.000Z,"'@Ada","'-uid",team.created,team,"'-H1STJWRPkDHjubwXvS7Vg","'=HYPERLINK(""http://evil"")",note=+1`);
  });

  it('quotes commas, quotes and line breaks so a row stays one row', () => {
    const row = auditCsv([event({ target: { type: 'team', id: 't1', name: 'a,b "c"\nd' } })]).split('\r\n')[1];
    expect(row).toContain(',"a,b ""c""\nd",');
  });

  it('leaves an empty target name empty', () => {
    const row = auditCsv([event({ target: { type: 'invite', id: 'i1', name: null } })]).split('\r\n')[1];
    expect(row).toBe('2026-12-01T10:00:00.000Z,Ada,u1,team.created,invite,i1,,');
  });
});
