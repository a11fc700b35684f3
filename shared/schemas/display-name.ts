// The one rule for the name people are shown by: accounts, guests and room renames alike, so a
// guest cannot take a name no member could (issue #15, item 12). The web site imports it too.
import * as z from 'zod';

/**
 * Characters that make a name look like another one or like nothing: controls (C0, DEL, C1),
 * format characters (zero-width, bidi embeddings, overrides and isolates, soft hyphen, word
 * joiner, tags), line and paragraph separators, private use, unassigned code points, lone
 * surrogates, and the blank-looking letters and selectors that are not formats (Hangul fillers,
 * the combining grapheme joiner, Khmer inherent vowels, Mongolian selectors, variation selectors
 * other than the emoji one, the blank Braille pattern).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\u115f\u1160\u2800\u3164\uffa0]/u;
/** Blank-looking combining marks, as code point ranges (a regex class would misread them). */
// (plus the Khitan filler and the Duployan letter selector, which draw nothing either)
const BLANK_MARKS: [number, number][] = [[0x034f, 0x034f], [0x17b4, 0x17b5], [0x180b, 0x180f], [0xfe00, 0xfe0e], [0x16fe4, 0x16fe4], [0x1bc9d, 0x1bc9d], [0xe0100, 0xe01ef]];
/** The emoji variation selector draws only on what it selects (an emoji, a symbol, a keycap digit). */
const EMOJI_SELECTOR = /(?<=[\p{Extended_Pictographic}\p{S}#*0-9])\uFE0F/gu;
/** Something that draws on its own: a name must have at least one. */
const VISIBLE_BASE = /[\p{L}\p{N}\p{P}\p{S}]/u;

/** A zero-width joiner inside an emoji sequence (👩‍💻: pictograph, optional skin tone or emoji
 *  selector, joiner, pictograph) draws one emoji; anywhere else it is invisible. */
const EMOJI_JOINER = /(?<=\p{Extended_Pictographic}(?:[\u{1F3FB}-\u{1F3FF}]|\uFE0F)?)\u200D(?=\p{Extended_Pictographic})/gu;

/** More marks on one letter than any script writes (Vietnamese stacks two, Devanagari three):
 *  a pile of them draws over the names above and below, and over a "guest" tag. */
const MARK_PILE = /\p{M}{5,}/u;

function hidesOrSpills(name: string): boolean {
  // Counted decomposed: NFC folds the first mark into its letter, which would let one more through.
  if (MARK_PILE.test(name.normalize('NFD'))) return true;
  if (name !== '' && !VISIBLE_BASE.test(name)) return true; // an empty name gets "Enter a name." alone
  const s = name.replace(EMOJI_JOINER, '');
  if (INVISIBLE.test(s)) return true;
  if (s.replace(EMOJI_SELECTOR, '').includes('\uFE0F')) return true;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (BLANK_MARKS.some(([from, to]) => c >= from && c <= to)) return true;
  }
  return false;
}

export const DISPLAY_NAME_MAX = 60;

/**
 * NFC, every run of spaces of any kind (and line breaks, byte-order marks) made one plain space,
 * trimmed; 1–60 characters; nothing invisible left.
 */
export const DisplayName = z.string().normalize('NFC').overwrite((s) => s.replace(/\s+/gu, ' ').trim())
  .min(1, 'Enter a name.').max(DISPLAY_NAME_MAX, `Use at most ${DISPLAY_NAME_MAX} characters.`)
  .refine((s) => !hidesOrSpills(s), 'The name contains invisible or control characters, or a pile of accents.');
