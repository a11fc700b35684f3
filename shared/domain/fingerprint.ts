// A short digest of what a kept answer was made from: equal inputs give equal fingerprints, so an
// answer is reused exactly while its inputs are unchanged (summaries, suggestions).
import { createHash } from 'node:crypto';

export const fingerprintOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 24);
