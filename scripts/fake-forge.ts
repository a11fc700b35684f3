// `npm run fake:forge`: the tests' fake Forge platform beside `npm start`, so a site can be bound
// by hand (README, "Try Forge without Forge"): it publishes a JWKS, and for each connect code you
// paste it plays the Reckon app's admin page — a bind with an invocation token of a new site —
// and prints the site's cloud id and secret for `npm run forge:send`.
import readline from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { startFakeForge } from '../test/support/fakes/forge.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8098' }, reckon: { type: 'string', default: process.env.RECKON_URL ?? 'http://localhost:8080' } } });
const forge = await startFakeForge('PRODUCTION', { port: Number(values.port), appId: '7e57f0e9-0000-4000-8000-000000000001' });
// Its key is new on every start: a Reckon that saw the previous one fetches the new one after 30 s.
console.log(`Fake Forge platform: JWKS at ${forge.jwksUrl}. Start Reckon beside it with:`);
console.log(`  RECKON_FORGE_APP_ID=${forge.appId} RECKON_FORGE_JWKS_URL=${forge.jwksUrl} npm start`);
const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
for (;;) {
  const code = (await rl.question('Connect code from Reckon (Team → Forge), or Enter to quit: ').catch(() => '')).trim(); // '' also when input ends
  if (!code) break;
  const site = forge.newSite();
  const res = await fetch(new URL('/api/forge/bind', values.reckon), {
    method: 'POST', headers: { authorization: `Bearer ${await forge.invocationToken(site)}`, 'content-type': 'application/json' }, body: JSON.stringify({ code }),
  });
  const body = await res.json() as { secret?: string; error?: { code: string; message: string } };
  console.log(res.status === 201 ? `Bound site ${site.cloudId}.\n  RECKON_FORGE_SECRET=${body.secret} npm run forge:send -- --cloud-id ${site.cloudId} …` : `Refused: ${res.status} ${body.error?.code}: ${body.error?.message}`);
}
rl.close();
await forge.close();
