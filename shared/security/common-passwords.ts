// ASVS 6.2.4: passwords attackers try first are refused. The list is the one zxcvbn-ts keeps
// (@zxcvbn-ts/language-common: about 49,000 passwords ranked by how often they appear in
// breach corpora), compared case-insensitively. It is loaded on first use (about 50 ms, a few MB)
// and stays out of every bundle: only functions that set passwords ever load it (scripts/build.ts
// keeps the package external).

let list: Promise<Set<string>> | undefined;

async function load(): Promise<Set<string>> {
  const { dictionary } = await import('@zxcvbn-ts/language-common');
  return new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
}

/** The password as the list would spell it: compatibility forms folded (full-width letters),
 *  invisible format characters (soft hyphen, zero-width space) dropped, outer spaces trimmed,
 *  lower-cased. Only for the look-up: the password itself is hashed as typed. */
const asListed = (password: string) => password.normalize('NFKC').replace(/\p{Cf}/gu, '').trim().toLowerCase();

/** Whether a password is on the list of common and breached passwords. */
export async function isCommonPassword(password: string): Promise<boolean> {
  list ??= load();
  list.catch(() => { list = undefined; }); // a failed load is tried again, never cached
  return (await list).has(asListed(password));
}
