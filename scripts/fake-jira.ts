// `npm run fake:jira [-- --port 8099] [--big 205]`: the tests' fake Jira Cloud site, for trying
// imports by hand beside `npm start` (see README, "Try Jira without Jira").
import { parseArgs } from 'node:util';
import { startFakeJira } from '../test/support/fakes/jira.js';

const { values } = parseArgs({ options: {
  port: { type: 'string', default: '8099' }, email: { type: 'string', default: 'demo@example.com' }, token: { type: 'string', default: 'demo-api-token-0000' },
  big: { type: 'string', default: '205' },
} });
const jira = await startFakeJira({ email: values.email!, apiToken: values.token!, bigProject: Number(values.big) }, Number(values.port));
console.log(`Fake Jira at ${jira.url} (answers as https://acme-poker.atlassian.net).`);
console.log(`Connect with site https://acme-poker.atlassian.net, email ${values.email}, API token ${values.token}.`);
console.log(`It has: boards 1 and 2, board 3 estimating in a custom field of its own, and "project = BIG" finding ${values.big} issues in pages of 100.`);
console.log(`Start Reckon beside it with: RECKON_JIRA_FAKE_URL=${jira.url} npm start`);
