// The client's address is the right-most X-Forwarded-For entry: the one Google's front end (or,
// locally, the dev server acting as it) appended. Entries to its left are whatever the client sent.
export function clientIp(forwardedFor: string | string[] | undefined, socketAddress: string | undefined): string {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const entries = (header ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return entries[entries.length - 1] ?? socketAddress ?? 'unknown';
}
