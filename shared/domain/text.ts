// Capping text that comes from elsewhere (Jira summaries, descriptions, names) without breaking
// a character: a cut on UTF-16 code units can split an emoji's surrogate pair (stored as U+FFFD),
// a flag or a letter from its combining accent. Cuts fall between grapheme clusters (what a
// reader sees as one character), so the same input always gives the same, valid output.

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The longest prefix of `text` made of whole grapheme clusters whose length (UTF-16 code units,
 * what `.length` and the schemas count) is at most `max`; with `ellipsis`, a cut text ends in it
 * and still fits in `max`.
 */
export function capText(text: string, max: number, ellipsis = ''): string {
  if (text.length <= max) return text;
  const room = max - ellipsis.length;
  let end = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    if (index + segment.length > room) break;
    end = index + segment.length;
  }
  return text.slice(0, end) + ellipsis;
}
