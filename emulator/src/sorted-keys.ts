// A sorted set of strings kept in chunks, so inserts and deletes cost O(log n + chunk) rather than
// O(n), and in-order iteration is a plain walk. Used for the documents of each collection.
import { compareStrings } from './strings.js';

const MAX_CHUNK = 512;

export class SortedKeys {
  private chunks: string[][] = [];
  private count = 0;

  get size(): number { return this.count; }

  /** Index of the chunk that holds (or would hold) `key`. */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid]!;
      if (compareStrings(chunk[chunk.length - 1]!, key) < 0) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  private static position(chunk: string[], key: string): number {
    let lo = 0;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareStrings(chunk[mid]!, key) < 0) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** Adds a key; returns false when it was already present. */
  add(key: string): boolean {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.count = 1;
      return true;
    }
    const ci = this.chunkFor(key);
    const chunk = this.chunks[ci]!;
    const pos = SortedKeys.position(chunk, key);
    if (chunk[pos] === key) return false;
    chunk.splice(pos, 0, key);
    this.count++;
    if (chunk.length > MAX_CHUNK * 2) this.chunks.splice(ci, 1, chunk.slice(0, MAX_CHUNK), chunk.slice(MAX_CHUNK));
    return true;
  }

  /** Removes a key; returns false when it was absent. */
  delete(key: string): boolean {
    if (this.chunks.length === 0) return false;
    const ci = this.chunkFor(key);
    const chunk = this.chunks[ci]!;
    const pos = SortedKeys.position(chunk, key);
    if (chunk[pos] !== key) return false;
    chunk.splice(pos, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(ci, 1);
    return true;
  }

  /** Keys in ascending order, starting at the first key >= `from` when given. */
  *values(from?: string): Generator<string> {
    let ci = 0;
    let pos = 0;
    if (from !== undefined && this.chunks.length > 0) {
      ci = this.chunkFor(from);
      pos = SortedKeys.position(this.chunks[ci]!, from);
    }
    for (; ci < this.chunks.length; ci++, pos = 0) {
      const chunk = this.chunks[ci]!;
      for (; pos < chunk.length; pos++) yield chunk[pos]!;
    }
  }

  /** Keys in descending order. */
  *valuesDescending(): Generator<string> {
    for (let ci = this.chunks.length - 1; ci >= 0; ci--) {
      const chunk = this.chunks[ci]!;
      for (let pos = chunk.length - 1; pos >= 0; pos--) yield chunk[pos]!;
    }
  }
}
