// Known networks: the networks (an IPv4 address, an IPv6 /64: shared/http/client-ip.ts) from
// which an account was signed in with its password. A sign-in from one of them skips the
// per-account slow-down that anyone can trigger, so the owner at home signs in at once on a
// browser that is not yet a known device while an attack elsewhere goes on (docs/security.md).
// Kept on the user document as {network: last seen, ms}, small: entries older than 90 days count
// for nothing on read and go at the next sign-in, and at most the 10 most recent stay.

export type KnownNetworks = Readonly<Record<string, number>>;

export const KNOWN_NETWORK_KEPT_MS = 90 * 86_400_000;
export const MAX_KNOWN_NETWORKS = 10;
/** A sign-in from a network seen within this long writes nothing: one write a day per network at most. */
export const KNOWN_NETWORK_REFRESH_MS = 86_400_000;

/** Whether a network name can be one: an address or a /64, never 'unknown' (which every unaddressed request would share). */
const isNetwork = (network: string | undefined): network is string => network !== undefined && network.length <= 48 && /^[0-9a-f:.]+(\/64)?$/.test(network) && /[.:]/.test(network);

const fresh = (seenAt: unknown, now: number): seenAt is number => typeof seenAt === 'number' && Number.isFinite(seenAt) && now - seenAt <= KNOWN_NETWORK_KEPT_MS;

/** Whether the account was signed in from this network within the last 90 days. */
export function isKnownNetwork(known: KnownNetworks | undefined, network: string | undefined, now: number): boolean {
  return isNetwork(network) && !!known && Object.hasOwn(known, network) && fresh(known[network], now);
}

/** The entries still kept: none older than 90 days, at most the 10 most recent. */
export function pruneNetworks(known: KnownNetworks | undefined, now: number): KnownNetworks {
  const kept = Object.entries(known ?? {}).filter(([network, seenAt]) => isNetwork(network) && fresh(seenAt, now));
  kept.sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(kept.slice(0, MAX_KNOWN_NETWORKS));
}

/**
 * The known networks after a sign-in with the right password from `network`, pruned; undefined
 * when there is nothing to write (the network was seen within a day and no entry has expired, or
 * it is no network). So whatever expired goes at the account's next sign-in; until then every
 * reader (isKnownNetwork, the export through pruneNetworks) takes it as absent.
 */
export function afterSignIn(known: KnownNetworks | undefined, network: string | undefined, now: number): KnownNetworks | undefined {
  if (!isNetwork(network)) return undefined;
  const seenAt = known && Object.hasOwn(known, network) ? known[network] : undefined;
  if (typeof seenAt === 'number' && now - seenAt < KNOWN_NETWORK_REFRESH_MS && now >= seenAt) {
    const kept = pruneNetworks(known, now);
    return Object.keys(kept).length < Object.keys(known!).length ? kept : undefined;
  }
  return pruneNetworks({ ...known, [network]: now }, now);
}

/** After a password change only the network it was made from stays known. */
export function onlyNetwork(network: string | undefined, now: number): KnownNetworks {
  return isNetwork(network) ? { [network]: now } : {};
}
