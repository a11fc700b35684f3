// The Forge app's Custom UI pages as Jira shows them: each page is built as `npm run build:ui`
// builds it (esbuild bundling @forge/bridge), served as static files under Forge's CSP and framed
// by a host page that plays Forge's side of the bridge (forge-app/test/custom-ui-host.ts). Each
// `invoke` is answered by the function its resolver calls (forge-app/src/index.ts: bindSite,
// requestEstimate) with the Forge runtime of forge-app/test/harness.ts, against Reckon and the
// fake Jira and fake Forge — so "Connected" means the site really is bound.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startReckon, registeredClient, type Reckon } from '../support/reckon.js';
import { launchBrowser } from '../support/browser.js';
import { startFakeJira, type FakeJira } from '../support/fakes/jira.js';
import { startFakeForge, type FakeForge } from '../support/fakes/forge.js';
import { connectCode } from '../support/forge.js';
import { buildUi } from '../../forge-app/scripts/build-ui.mjs';
import { startCustomUiHost, type CustomUiHost, type BridgeAnswer } from '../../forge-app/test/custom-ui-host.js';
import { forgeHarness, type Harness } from '../../forge-app/test/harness.js';
import { bindSite } from '../../forge-app/src/reckon.js';
import { requestEstimate } from '../../forge-app/src/issues.js';

let reckon: Reckon;
let browser: Browser;
let jira: FakeJira;
let forge: FakeForge;
let ui: CustomUiHost;
beforeAll(async () => {
  const buildRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-forge-ui-'));
  await buildUi(buildRoot);
  jira = await startFakeJira({ email: 'forge-app@acme.example', apiToken: 'forge-app-token-000000' });
  forge = await startFakeForge();
  [reckon, browser, ui] = await Promise.all([startReckon(forge.env), launchBrowser(), startCustomUiHost(buildRoot)]);
});
afterAll(async () => { await browser?.close(); await ui?.close(); await reckon?.close(); await jira?.close(); await forge?.close(); });

const UNKNOWN_CODE = 'This connect code is unknown, expired or already used; ask Reckon for a new one.';

/** Forge's side of the admin page: `invoke('bind')` runs what the admin resolver runs. */
const adminHost = (app: Harness): BridgeAnswer => async (type, p) => {
  if (type === 'invoke' && p.functionKey === 'bind') return bindSite(app, String(p.payload?.code ?? ''));
  throw new Error(`no ${type} ${p?.functionKey ?? ''} here`);
};
/** The issue action on `key`: `invoke('requestEstimate')` with the issue in its context; `close` closes the dialog. */
const actionHost = (app: Harness, key: string): BridgeAnswer => async (type, p) => {
  if (type === 'invoke' && p.functionKey === 'requestEstimate') return requestEstimate(app, key, 'https://acme-poker.atlassian.net');
  if (type === 'close') return true;
  throw new Error(`no ${type} here`);
};

describe('the Forge app’s Custom UI pages', () => {
  it('admin page: a pasted connect code binds the site through invoke("bind"), and a refused one says why', async () => {
    const admin = await registeredClient(reckon);
    const app = forgeHarness({ reckonUrl: reckon.url, jira, forge });
    const { host, calls, refusals, cspErrors } = await ui.open(browser, 'admin', adminHost(app));
    const page = host.frameLocator('#app');
    await page.getByRole('heading', { name: 'Connect this Jira site to Reckon' }).waitFor();

    await page.getByPlaceholder('rkc_…').fill('rkc_AAAAAAAAAAAAAAAAAAAAAA');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => refusals.length).toBe(1);
    await page.getByText(`Not connected: ${refusals[0]}`, { exact: true }).waitFor();
    expect(app.secrets.size).toBe(0);

    const code = await connectCode(admin);
    await page.getByPlaceholder('rkc_…').fill(` ${code} `);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByText('Connected: final estimates from Reckon will be written into this site.').waitFor();
    expect(calls).toEqual([
      { type: 'invoke', payload: { functionKey: 'bind', payload: { code: 'rkc_AAAAAAAAAAAAAAAAAAAAAA' } } },
      { type: 'invoke', payload: { functionKey: 'bind', payload: { code: ` ${code} ` } } },
    ]);
    expect(app.secrets.size).toBe(1);
    const installations = await admin.client.get(`/api/forge/installations?tenantId=${admin.tenant.tenantId}`);
    expect(JSON.stringify(installations.json)).toContain(app.site.cloudId);

    // The code is single use: pasting it again is refused with Reckon's reason, shown to the admin.
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => refusals.length).toBe(2);
    await page.getByText(`Not connected: ${refusals[1]}`, { exact: true }).waitFor();
    expect(calls).toHaveLength(3);
    expect(refusals).toEqual([UNKNOWN_CODE, UNKNOWN_CODE]);
    expect(cspErrors).toEqual([]);
  });

  it('issue action: asks Reckon for an estimate through invoke("requestEstimate"), says so, and closes; an unbound site is told why', async () => {
    const unbound = forgeHarness({ reckonUrl: reckon.url, jira, forge });
    const refused = await ui.open(browser, 'action', actionHost(unbound, 'POKER-15'));
    await refused.host.frameLocator('#app').getByText('Reckon could not take it: This Jira site is not bound to a Reckon team yet: an admin binds it on the Reckon admin page.').waitFor();

    const admin = await registeredClient(reckon);
    const app = forgeHarness({ reckonUrl: reckon.url, jira, forge });
    await bindSite(app, await connectCode(admin));
    const first = await ui.open(browser, 'action', actionHost(app, 'POKER-15'));
    await first.host.frameLocator('#app').getByText('Added to Reckon’s “Requests from Jira” session.').waitFor();
    await expect.poll(() => first.calls.map((c) => c.type), { timeout: 10_000 }).toEqual(['invoke', 'close']);
    expect(first.calls[0]!.payload).toMatchObject({ functionKey: 'requestEstimate' });
    expect(first.cspErrors).toEqual([]);

    const again = await ui.open(browser, 'action', actionHost(app, 'POKER-15'));
    await again.host.frameLocator('#app').getByText('Already in Reckon; its details were refreshed.').waitFor();
    const sessions = await admin.client.get(`/api/sessions?tenantId=${admin.tenant.tenantId}`);
    expect(JSON.stringify(sessions.json)).toContain('Requests from Jira');
  });
});
