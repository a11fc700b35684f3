// argon2id with OWASP's parameters (19 MiB, 2 iterations, 1 lane). Unknown accounts still
// run a verify against a dummy hash so timing does not tell whether an email is registered.
// The native module is loaded on the first hash or verify, not at start: most of the auth
// function's routes never check a password (docs/performance.md, cold start).
type Argon2 = typeof import('@node-rs/argon2');
let argon2: Promise<Argon2> | undefined;
const loadArgon2 = () => (argon2 ??= import('@node-rs/argon2'));

const ARGON2ID = 2; // @node-rs/argon2's Algorithm.Argon2id (a const enum, not importable at runtime)
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  // Hashing encodes to UTF-8, where every lone surrogate becomes U+FFFD: two passwords would be one.
  if (/\p{Cs}/u.test(password)) return Promise.reject(new Error('refusing to hash a password that is not well-formed Unicode'));
  return loadArgon2().then((a) => a.hash(password, OPTIONS));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  const { verify } = await loadArgon2(); // a missing native module must fail loudly, not as a wrong password
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the time a real verify would, and always fails. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('reckon-dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
  return false;
}
