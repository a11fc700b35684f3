// `npm run forge:send`: sends one signed call to a running Reckon as a Forge app would, for
// manual tries (the signing is shared/forge/signing-client.ts, the same the tests use).
//
//   RECKON_FORGE_SECRET=rkf_… npm run forge:send -- --cloud-id <uuid> estimation_requested \
//       --site https://acme.atlassian.net --issue "POKER-12=Fix the login" --issue POKER-13
//   RECKON_FORGE_SECRET=rkf_… npm run forge:send -- --cloud-id <uuid> estimates POKER-12 POKER-13
//
// Events: estimation_requested (--site, --issue KEY[=summary]…), issue_updated (--issue KEY=summary,
// --status, --points), issue_deleted (--issue KEY), app_uninstalled. `estimates KEY…` reads
// final estimates. The target is RECKON_URL or http://localhost:$PORT (8080).
import { parseArgs } from 'node:util';
import { sendSigned } from '../shared/forge/signing-client.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'cloud-id': { type: 'string' }, secret: { type: 'string' }, site: { type: 'string' }, issue: { type: 'string', multiple: true },
    status: { type: 'string' }, points: { type: 'string' }, url: { type: 'string' },
  },
});
const fail = (message: string): never => { console.error(`forge:send: ${message}`); process.exit(2); };
const secret = values.secret ?? process.env.RECKON_FORGE_SECRET ?? fail('give the installation secret in RECKON_FORGE_SECRET (or --secret)');
const cloudId = values['cloud-id'] ?? fail('give --cloud-id <the installation\'s cloud id>');
const url = values.url ?? process.env.RECKON_URL ?? `http://localhost:${process.env.PORT ?? 8080}`;
const [command, ...rest] = positionals;

/** `KEY=summary` → a Jira REST issue with that summary; `KEY` alone → key only (Reckon reads it from Jira). */
const issues = (values.issue ?? []).map((spec) => {
  const [key, ...summary] = spec.split('=');
  const fields = summary.length ? { summary: summary.join('='), ...(values.status ? { status: { name: values.status } } : {}) } : undefined;
  return { key: key!.trim(), ...(fields ? { fields } : {}), ...(values.points !== undefined ? { storyPoints: Number(values.points) } : {}) };
});

let call: Parameters<typeof sendSigned>[1];
switch (command) {
  case 'estimation_requested':
    call = { method: 'POST', path: '/api/forge/events', secrets: [secret], cloudId, json: { type: command, cloudId, siteUrl: values.site ?? fail('give --site https://<name>.atlassian.net'), issues } };
    break;
  case 'issue_updated':
  case 'issue_deleted':
    if (issues.length !== 1) fail(`${command} takes one --issue`);
    call = { method: 'POST', path: '/api/forge/events', secrets: [secret], cloudId, json: { type: command, cloudId, issue: command === 'issue_deleted' ? { key: issues[0]!.key } : issues[0] } };
    break;
  case 'app_uninstalled':
    call = { method: 'POST', path: '/api/forge/events', secrets: [secret], cloudId, json: { type: command, cloudId } };
    break;
  case 'estimates':
    call = { method: 'GET', path: `/api/forge/estimates?keys=${rest.map(encodeURIComponent).join(',')}`, secrets: [secret], cloudId };
    break;
  default:
    fail('say what to send: estimation_requested, issue_updated, issue_deleted, app_uninstalled, or estimates KEY…');
}

const res = await sendSigned(url, call!);
console.log(res.status, JSON.stringify(res.body, null, 2));
process.exit(res.status < 300 ? 0 : 1);
