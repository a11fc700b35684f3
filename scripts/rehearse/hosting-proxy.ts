// Firebase Hosting in front of separately running functions: firebase.json's rewrites send
// /api/** to each function's port over HTTP (as Hosting calls Cloud Run), everything else is the
// built site with firebase.json's headers. Like Hosting, only the `__session` cookie reaches a
// function, and the caller's address is appended to X-Forwarded-For.
import http from 'node:http';
import { answerJson, functionId, globToRegExp, readHostingConfig, serveStatic, targetPath } from '../local-gateway.js';

/** Hosting strips every cookie but `__session` before calling a function. */
export function sessionCookieOnly(cookie: string | undefined): string | undefined {
  const kept = (cookie ?? '').split(';').map((c) => c.trim()).filter((c) => c.startsWith('__session='));
  return kept.length ? kept.join('; ') : undefined;
}

export function createHostingProxy(webDir: string, ports: ReadonlyMap<string, number>): http.RequestListener {
  const config = readHostingConfig();
  const rewrites = config.rewrites.filter((r) => functionId(r)).map((r) => ({ re: globToRegExp(r.source), id: functionId(r)! }));
  for (const { id } of rewrites) if (!ports.has(id)) throw new Error(`firebase.json routes to ${id}, which is not running`);
  return (req, res) => {
    const urlPath = targetPath(req.url);
    if (urlPath === undefined) { answerJson(res, 400, 'invalid_request', 'The request target is not a valid path.'); return; }
    const target = rewrites.find((r) => r.re.test(urlPath));
    if (!target) {
      if (urlPath.startsWith('/api/')) answerJson(res, 404, 'not_found', 'No such endpoint.');
      else serveStatic(webDir, urlPath, config, res);
      return;
    }
    const headers = { ...req.headers, 'x-forwarded-for': [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ') };
    const cookie = sessionCookieOnly(req.headers.cookie);
    if (cookie) headers.cookie = cookie; else delete headers.cookie;
    const upstream = http.request({ host: '127.0.0.1', port: ports.get(target.id), method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => answerJson(res, 502, 'unavailable', `The ${target.id} function did not answer.`));
    req.pipe(upstream);
  };
}
