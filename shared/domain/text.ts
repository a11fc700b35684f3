// Capping text that comes from elsewhere (Jira summaries, descriptions, names) without breaking
// a character: a cut on UTF-16 code units can split an emoji's surrogate pair (stored as U+FFFD),
// a flag or a letter from its combining accent. Cuts fall between grapheme clusters (what a
// reader sees as one character), so the same input always gives the same, valid output.

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
/**
 * Only the stretch before the cut is segmented (segmenting costs about a microsecond a
 * character): grapheme breaks depend on nearby characters only, so a window this wide finds the
 * same boundary as the whole text for anything but a cluster longer than the window.
 */
const WINDOW = 256;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The longest prefix of `text` made of whole grapheme clusters whose length (UTF-16 code units,
 * what `.length` and the schemas count) is at most `max`; with `ellipsis`, a cut text ends in it
 * and still fits in `max`.
 */
export function capText(text: string, max: number, ellipsis = ''): string {
  if (text.length <= max) return text;
  const room = Math.max(0, max - ellipsis.length);
  let from = Math.max(0, room - WINDOW);
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from--; // never start inside a pair
  let end = from;
  for (const { segment, index } of graphemes.segment(text.slice(from, room + 16))) {
    if (from + index + segment.length > room) break;
    end = from + index + segment.length;
  }
  return text.slice(0, end) + ellipsis;
}
