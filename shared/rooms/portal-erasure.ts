// What erasing an account does to the client portal (issue #17): the user's portal access ends,
// their decisions stay in the team's history and on the issues but by "Deleted user" and without
// their uid, and the portal links they made or redeemed keep no trace of them. The comment of a
// decision stays (it is the client's answer to the team), as a revealed card stays in a room.
import { HttpError } from '../http/errors.js';
import { DELETED_USER_NAME } from '../domain/accounts.js';
import { commitRoomChange, withFreshSession } from '../store/sessions.js';
import { getIssueAsRead, writeApprovalName } from '../store/issues.js';
import { anonymiseApprovals, listApprovalsOfUser, type ApprovalOfUser } from '../store/portal-approvals.js';
import { forgetUserOnLinks } from '../store/portal-links.js';
import { listPortalAccessOfUser } from '../store/portal-access.js';

const PAGE = 200;
/** As for rooms (erasure.ts): past 2,000 records the erasure answers 503 before the account is gone; sending it again carries on. */
const MAX_PAGES = 10;
const tooMuchForOneRequest = () => new HttpError('unavailable', 'Erasing takes more than one request for this account; send it again to carry on.');

/** The issue's current approval becomes "Deleted user"'s if it is one of these decisions of the user. */
async function scrubIssueApproval(sessionId: string, issueId: string, mine: ApprovalOfUser[], now: number): Promise<void> {
  await withFreshSession(sessionId, async (s) => {
    if (!s) return;
    const read = await getIssueAsRead(sessionId, issueId);
    const current = read?.issue.approval;
    if (!read || !current || !mine.some((e) => e.at === current.at && e.byName === current.byName)) return;
    // Through the room (its issues version moves) so the room's poll shows the new name.
    await commitRoomChange(s, { issues: true, commutes: true, writes: (batch) => writeApprovalName(batch, sessionId, issueId, DELETED_USER_NAME, read.updateTime) }, now);
  });
}

export async function erasePortalTraces(uid: string, now: number): Promise<void> {
  for (let n = 0, page = await listApprovalsOfUser(uid, PAGE); page.length > 0; n++, page = await listApprovalsOfUser(uid, PAGE)) {
    const byIssue = new Map<string, ApprovalOfUser[]>();
    for (const e of page) byIssue.set(`${e.sessionId}/${e.issueId}`, [...(byIssue.get(`${e.sessionId}/${e.issueId}`) ?? []), e]);
    for (const entries of byIssue.values()) await scrubIssueApproval(entries[0]!.sessionId, entries[0]!.issueId, entries, now);
    // The history after the issue: if this request stops between, the next one finds them again.
    await anonymiseApprovals(page, DELETED_USER_NAME);
    if (n === MAX_PAGES - 1) throw tooMuchForOneRequest();
  }
  for (let n = 0; (await forgetUserOnLinks(uid, PAGE)) > 0; n++) if (n === MAX_PAGES - 1) throw tooMuchForOneRequest();
  for (const p of await listPortalAccessOfUser(uid)) await p.ref.delete();
}
