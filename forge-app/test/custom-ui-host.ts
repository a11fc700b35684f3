// The Forge host side of a Custom UI page, for browser tests — the one place the platform is faked,
// like the fake Jira. Forge serves a resource's static files from its own origin with a strict CSP
// and provides `window.__bridge.callBridge(type, payload)` in the frame (what @forge/bridge calls),
// which reaches the Jira page around the iframe. Here: a static server for the built pages (a
// strict CSP, a bridge script injected as an external script) and a host page on another origin
// that frames the page and answers each bridge call from the test.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';

/** Our approximation of Forge's CSP for Custom UI: no inline script, nothing from elsewhere. */
export const FORGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'";

// Runs in the iframe before the app's bundle (a classic script runs before a module script).
const BRIDGE_SCRIPT = `(() => {
  let next = 0; const pending = new Map();
  addEventListener('message', (e) => {
    if (e.source !== parent || !pending.has(e.data?.id)) return;
    const { resolve, reject } = pending.get(e.data.id); pending.delete(e.data.id);
    if (e.data.ok) resolve(e.data.body); else reject(new Error(e.data.message));
  });
  window.__bridge = { callBridge: (type, payload) => new Promise((resolve, reject) => {
    const id = ++next; pending.set(id, { resolve, reject }); parent.postMessage({ id, type, payload }, '*');
  }) };
})();`;

const hostPage = (frameUrl: string) => `<!doctype html><html><head><meta charset="utf-8"><title>Jira</title></head><body>
<iframe id="app" src="${frameUrl}" width="800" height="400"></iframe>
<script>
const frame = document.getElementById('app');
addEventListener('message', async (e) => {
  if (e.source !== frame.contentWindow) return;
  const { id, type, payload } = e.data;
  try { frame.contentWindow.postMessage({ id, ok: true, body: await window.forgeHost(type, payload) }, '*'); }
  catch (err) { frame.contentWindow.postMessage({ id, ok: false, message: String(err.message ?? err) }, '*'); }
});
</script></body></html>`;

export interface BridgeCall { type: string; payload: unknown }
/** Answers one bridge call (e.g. `invoke` with `{ functionKey, payload }`); a throw rejects it in the page. */
export type BridgeAnswer = (type: string, payload: any) => Promise<unknown>;

export interface CustomUiHost {
  /** Opens `page` (a folder of the build) framed in a host page; every bridge call goes to `answer`. */
  open(browser: Browser, page: string, answer: BridgeAnswer): Promise<{ host: Page; calls: BridgeCall[]; refusals: string[]; cspErrors: string[] }>;
  close(): Promise<void>;
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

export async function startCustomUiHost(buildRoot: string): Promise<CustomUiHost> {
  const files = await listen(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/__forge/bridge.js') { res.writeHead(200, { 'content-type': TYPES['.js']! }); res.end(BRIDGE_SCRIPT); return; }
    const file = path.join(buildRoot, path.normalize(url.pathname));
    if (!file.startsWith(buildRoot + path.sep)) { res.writeHead(404).end(); return; }
    let body = await fs.readFile(file).catch(() => undefined);
    if (!body) { res.writeHead(404).end(); return; }
    if (file.endsWith('.html')) body = Buffer.from(body.toString('utf8').replace('</head>', '<script src="/__forge/bridge.js"></script></head>'));
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-security-policy': FORGE_CSP });
    res.end(body);
  });
  // Another origin (another port), as Jira is to Forge's CDN.
  const host = await listen((req, res) => {
    const page = new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? '';
    res.writeHead(200, { 'content-type': TYPES['.html']! }).end(hostPage(`${files.url}/${encodeURIComponent(page)}/index.html`));
  });
  return {
    async open(browser, page, answer) {
      const calls: BridgeCall[] = [];
      const refusals: string[] = [];
      const cspErrors: string[] = [];
      const tab = await (await browser.newContext()).newPage();
      tab.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });
      await tab.exposeFunction('forgeHost', (type: string, payload: unknown) => {
        calls.push({ type, payload });
        return answer(type, payload).catch((err: Error) => { refusals.push(err.message); throw err; });
      });
      await tab.goto(`${host.url}/?page=${encodeURIComponent(page)}`);
      return { host: tab, calls, refusals, cspErrors };
    },
    async close() {
      await Promise.all([files, host].map(({ server }) => new Promise((resolve) => server.close(resolve))));
    },
  };
}
