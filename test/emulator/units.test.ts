// Pure parts of the emulator: code-point string order, the sorted key index, field paths.
import { describe, it, expect } from 'vitest';
import { compareStrings } from '../../emulator/src/strings.js';
import { SortedKeys } from '../../emulator/src/sorted-keys.js';
import { parseFieldPath, formatFieldPath, comparePaths } from '../../emulator/src/paths.js';

describe('string order', () => {
  it('orders by code point (UTF-8 byte order), not UTF-16 units', () => {
    // U+FF5E is one UTF-16 unit above the surrogates; the emoji is a surrogate pair but a larger code point.
    expect(compareStrings('\uff5e', '😀')).toBeLessThan(0);
    expect('\uff5e' < '😀').toBe(false);
    expect(['b', 'a', 'ab', ''].sort(compareStrings)).toEqual(['', 'a', 'ab', 'b']);
  });

  it('orders document paths segment by segment', () => {
    expect(comparePaths('a/b', 'a-b/c')).toBeLessThan(0);
    expect(comparePaths('a/b/c/d', 'a/b')).toBeGreaterThan(0);
  });
});

describe('SortedKeys', () => {
  it('keeps 20,000 random keys sorted through inserts and deletes', () => {
    const keys = new SortedKeys();
    const mirror = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const k = Math.random().toString(36).slice(2, 8);
      expect(keys.add(k)).toBe(!mirror.has(k));
      mirror.add(k);
      if (i % 3 === 0) {
        const victim = [...mirror][Math.floor(Math.random() * mirror.size)]!;
        expect(keys.delete(victim)).toBe(true);
        mirror.delete(victim);
      }
    }
    const expected = [...mirror].sort(compareStrings);
    expect([...keys.values()]).toEqual(expected);
    expect([...keys.valuesDescending()]).toEqual([...expected].reverse());
    expect(keys.size).toBe(expected.length);
    const from = expected[Math.floor(expected.length / 2)]!;
    expect([...keys.values(from)]).toEqual(expected.slice(expected.indexOf(from)));
  });
});

describe('field paths', () => {
  it.each([
    ['a', ['a']],
    ['a.b.c', ['a', 'b', 'c']],
    ['`a.b`.c', ['a.b', 'c']],
    ['`with \\` tick`', ['with ` tick']],
    ['`日本`', ['日本']],
  ])('parses %s', (path, segs) => {
    expect(parseFieldPath(path)).toEqual(segs);
    expect(parseFieldPath(formatFieldPath(segs))).toEqual(segs);
  });

  it.each(['', 'a..b', '.a', 'a.', '`open'])('refuses %j', (path) => {
    expect(() => parseFieldPath(path)).toThrow();
  });
});
