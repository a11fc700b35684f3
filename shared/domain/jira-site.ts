// Which Jira sites Reckon will talk to: Atlassian Cloud over HTTPS, nothing else. A site URL is
// the only address a user gives the server, so this is the guard against server-side request
// forgery: no other host, no IP address, no port, no credentials, no path tricks.

export type JiraSite = { ok: true; origin: string } | { ok: false; problem: string };

const CLOUD_HOST = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.(?:atlassian\.net|jira\.com)$/;

export function parseJiraSite(input: string): JiraSite {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { ok: false, problem: 'Enter the site address, like https://your-team.atlassian.net.' };
  }
  if (url.protocol !== 'https:') return { ok: false, problem: 'Jira Cloud sites are reached over https.' };
  if (url.username || url.password) return { ok: false, problem: 'Leave credentials out of the address.' };
  if (url.port) return { ok: false, problem: 'Jira Cloud sites use the standard https port.' };
  if (!CLOUD_HOST.test(url.hostname)) return { ok: false, problem: 'Reckon connects to Jira Cloud sites (your-team.atlassian.net).' };
  if (url.pathname !== '/' && url.pathname !== '' || url.search || url.hash) return { ok: false, problem: 'Enter only the site address, without a path.' };
  return { ok: true, origin: url.origin };
}
