// Which resolver functions each Custom UI page can call. Any Jira user who can open the issue
// action can call its resolver's functions by name (invoke() from the browser's console), so
// binding the site and rotating its secret must not be among them: they belong to the admin
// page, which only Jira admins reach.
import { describe, it, expect } from 'vitest';
import * as app from '../src/index.js';

const call = (handler: (event: any, runtime?: any) => Promise<unknown>, functionKey: string, payload: unknown = {}) =>
  handler({ call: { functionKey, payload }, context: { moduleKey: 'reckon-request-estimate' } });

describe('the app’s resolvers', () => {
  it.each(['bind', 'rotate'])('do not let the issue action (any Jira user) call %s', async (key) => {
    await expect(call(app.actionHandler, key, { code: 'rkc_AAAAAAAAAAAAAAAAAAAAAA' })).rejects.toThrow(`Resolver has no definition for '${key}'.`);
  });
});
