// Explicit caps, all checked before the expensive work (reliability.md §4.1, §4.6). Inputs past a hard
// cap get a typed error; inputs past a soft cap are read partially and carry a warning.

/** Hard cap on one input (a message, a .msg or a whole mbox passed at once). */
export const MAX_INPUT_BYTES = 50 * 1024 * 1024
/** Hard cap on the header block of the top-level message; nested oversize headers are skipped. */
export const MAX_HEADER_BYTES = 1024 * 1024
/** Hard cap on MIME parts of one message (mailsplit caps at 1000; a bounce has a handful). */
export const MAX_PARTS = 1000
/** Hard cap on MIME nesting (multiparts and attached messages together). */
export const MAX_DEPTH = 32
/** Hard cap on messages in one mbox given to parseBounce at once (the CLI streams instead). */
export const MAX_MESSAGES = 20_000
/** Soft cap: characters of decoded human-readable text examined per message. */
export const MAX_TEXT_CHARS = 512 * 1024
/** Soft cap: encoded bytes of one part that are decoded (a bounce's text is near the start). */
export const MAX_PART_DECODE_BYTES = 2 * 1024 * 1024
/** Soft cap: characters of one line seen by any regular expression. */
export const MAX_LINE_CHARS = 4096
/** Soft cap: lines of human-readable text examined per message. */
export const MAX_LINES = 20_000
/** Soft cap: recipients reported per message. */
export const MAX_RECIPIENTS = 500
/** Longest string field in a result; longer values are cut (output-validity invariant). */
export const MAX_FIELD_CHARS = 2000
