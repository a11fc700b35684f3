// Capping text on grapheme boundaries: what a reader sees as one character is kept or dropped
// whole, never split into a broken one.
import { describe, it, expect } from 'vitest';
import { capText } from '../../shared/domain/text.js';

const pad = (n: number) => 'x'.repeat(n);

describe('capping text', () => {
  it.each<[string, string, string]>([
    ['an emoji across the limit (a surrogate pair)', `${pad(9)}😀`, pad(9)],
    ['an emoji that fits exactly', `${pad(8)}😀tail`, `${pad(8)}😀`],
    ['a flag (two regional indicators)', `${pad(7)}🇩🇪`, pad(7)],
    ['a family emoji joined with ZWJ', `${pad(3)}👨‍👩‍👧‍👦`, pad(3)],
    ['a skin-tone modifier', `${pad(8)}👍🏽`, pad(8)],
    ['a letter with a combining accent', `${pad(9)}e\u0301`, pad(9)],
    ['a Hangul syllable in jamo', `${pad(8)}\u1100\u1161\u11a8`, pad(8)],
  ])('drops %s whole', (_name, input, expected) => {
    const capped = capText(input, 10);
    expect(capped).toBe(expected);
    expect(capped.length).toBeLessThanOrEqual(10);
    expect(capped).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect(input.startsWith(capped)).toBe(true);
  });

  it('leaves text within the limit alone', () => {
    expect(capText('Short 🇫🇷 title é', 200)).toBe('Short 🇫🇷 title é');
  });

  it('ends a cut text in the ellipsis, within the limit', () => {
    expect(capText(`${pad(8)}🇩🇪 more`, 10, '…')).toBe(`${pad(8)}…`);
    expect(capText(`${pad(8)}🇩🇪 more`, 13, '…')).toBe(`${pad(8)}🇩🇪…`);
  });

  it('gives the same output for the same input, so a re-read compares equal', () => {
    const summary = `${'Estimate '.repeat(22)}🎉🇯🇵é\u0301`;
    expect(capText(summary, 200)).toBe(capText(summary, 200));
    expect(capText(capText(summary, 200), 200)).toBe(capText(summary, 200));
  });

  it('cuts a long text on the same boundary as a short one, and quickly', () => {
    const tail = '👩‍👩‍👧 and 🇩🇪🇫🇷 e\u0301 '.repeat(20);
    const long = `${'x'.repeat(9_990)}${tail}`;
    const started = performance.now();
    for (let i = 0; i < 100; i++) capText(long.repeat(5), 10_000, '…');
    expect(performance.now() - started).toBeLessThan(2_000); // about 10 µs each; segmenting it all took ms
    const cut = capText(long, 10_000, '…');
    expect(cut).toBe(`${'x'.repeat(9_990)}${capText(tail, 10, '…')}`);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});
