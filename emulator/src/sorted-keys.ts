// A sorted set kept in chunks, ordered by a string key, so inserts and deletes cost
// O(log n + chunk) rather than O(n), and in-order iteration is a plain walk. Holds the documents
// of each collection in document-id order.
import { compareStrings } from './strings.js';

const MAX_CHUNK = 512;

export class SortedKeys<T = string> {
  private chunks: T[][] = [];

  constructor(private readonly keyOf: (item: T) => string = (x) => x as unknown as string) {}
  private count = 0;

  get size(): number { return this.count; }

  /** Index of the chunk that holds (or would hold) `key`. */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid]!;
      if (compareStrings(this.keyOf(chunk[chunk.length - 1]!), key) < 0) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  private position(chunk: T[], key: string): number {
    let lo = 0;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareStrings(this.keyOf(chunk[mid]!), key) < 0) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** Adds an item; returns false when one with its key was already present. */
  add(item: T): boolean {
    const key = this.keyOf(item);
    if (this.chunks.length === 0) {
      this.chunks.push([item]);
      this.count = 1;
      return true;
    }
    const ci = this.chunkFor(key);
    const chunk = this.chunks[ci]!;
    const pos = this.position(chunk, key);
    if (pos < chunk.length && this.keyOf(chunk[pos]!) === key) return false;
    chunk.splice(pos, 0, item);
    this.count++;
    if (chunk.length > MAX_CHUNK * 2) this.chunks.splice(ci, 1, chunk.slice(0, MAX_CHUNK), chunk.slice(MAX_CHUNK));
    return true;
  }

  /** Removes the item with this key; returns false when there was none. */
  delete(key: string): boolean {
    if (this.chunks.length === 0) return false;
    const ci = this.chunkFor(key);
    const chunk = this.chunks[ci]!;
    const pos = this.position(chunk, key);
    if (pos >= chunk.length || this.keyOf(chunk[pos]!) !== key) return false;
    chunk.splice(pos, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(ci, 1);
    return true;
  }

  /** Items in ascending key order, starting at the first key >= `from` when given. */
  *values(from?: string): Generator<T> {
    let ci = 0;
    let pos = 0;
    if (from !== undefined && this.chunks.length > 0) {
      ci = this.chunkFor(from);
      pos = this.position(this.chunks[ci]!, from);
    }
    for (; ci < this.chunks.length; ci++, pos = 0) {
      const chunk = this.chunks[ci]!;
      for (; pos < chunk.length; pos++) yield chunk[pos]!;
    }
  }

  /** Items in descending key order. */
  *valuesDescending(): Generator<T> {
    for (let ci = this.chunks.length - 1; ci >= 0; ci--) {
      const chunk = this.chunks[ci]!;
      for (let pos = chunk.length - 1; pos >= 0; pos--) yield chunk[pos]!;
    }
  }
}
