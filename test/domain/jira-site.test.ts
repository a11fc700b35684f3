// The Jira site rule: Atlassian Cloud over https and nothing else (the SSRF guard).
import { describe, it, expect } from 'vitest';
import { parseJiraSite } from '../../shared/domain/jira-site.js';

describe('Jira site addresses', () => {
  it.each([
    ['https://acme.atlassian.net', 'https://acme.atlassian.net'],
    ['https://ACME.Atlassian.net/', 'https://acme.atlassian.net'],
    ['  https://team-7.atlassian.net  ', 'https://team-7.atlassian.net'],
    ['https://legacy.jira.com', 'https://legacy.jira.com'],
  ])('accepts %s as %s', (input, origin) => {
    expect(parseJiraSite(input)).toEqual({ ok: true, origin });
  });

  it.each([
    ['http://acme.atlassian.net', 'plain http'],
    ['http://127.0.0.1:8080', 'a loopback address'],
    ['https://127.0.0.1', 'an IP address'],
    ['https://169.254.169.254', 'the metadata server'],
    ['https://[::1]', 'an IPv6 loopback'],
    ['https://localhost', 'localhost'],
    ['https://acme.atlassian.net.evil.example', 'a look-alike host'],
    ['https://evil.example#.atlassian.net', 'a fragment trick'],
    ['https://acme.atlassian.net@evil.example', 'credentials that move the host'],
    ['https://user:pass@acme.atlassian.net', 'credentials'],
    ['https://acme.atlassian.net:8443', 'another port'],
    ['https://acme.atlassian.net/rest/api/3', 'a path'],
    ['https://a.b.atlassian.net', 'a nested subdomain'],
    ['https://atlassian.net', 'no site name'],
    ['file:///etc/passwd', 'a file URL'],
    ['javascript:alert(1)', 'a script URL'],
    ['acme.atlassian.net', 'no scheme'],
    [`https://${'a'.repeat(64)}.atlassian.net`, 'a 64-character label'],
  ])('refuses %s (%s)', (input) => {
    expect(parseJiraSite(input).ok).toBe(false);
  });
});
