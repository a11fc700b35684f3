// Join codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L, 5/S, 2/Z, 8/B).

export const JOIN_CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';
export const JOIN_CODE_LENGTH = 8;

/** A join code from random bytes (pass crypto.randomBytes(n) or a test's own bytes). */
export function joinCodeFrom(randomBytes: (n: number) => Uint8Array): string {
  let code = '';
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 25).
  const limit = 256 - (256 % JOIN_CODE_ALPHABET.length);
  while (code.length < JOIN_CODE_LENGTH) {
    for (const b of randomBytes(JOIN_CODE_LENGTH * 2)) {
      if (b < limit && code.length < JOIN_CODE_LENGTH) code += JOIN_CODE_ALPHABET[b % JOIN_CODE_ALPHABET.length];
    }
  }
  return code;
}

/** Accepts what a person types: any case, spaces and dashes. */
export function normalizeJoinCode(input: string): string | undefined {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return code.length === JOIN_CODE_LENGTH && [...code].every((c) => JOIN_CODE_ALPHABET.includes(c)) ? code : undefined;
}
