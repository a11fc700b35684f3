// `npm run job:jira-sync`: runs the Jira sync once in a running `npm start` (what Cloud Scheduler
// does in production with an OIDC token), and prints its report.
const url = process.env.RECKON_URL ?? `http://localhost:${process.env.PORT ?? 8080}`;
const res = await fetch(`${url}/__dev/jobs/jira-sync`, { method: 'POST' });
console.log(res.status, await res.text());
process.exit(res.ok ? 0 : 1);
