// The reference page's Excel cap: at most 100,000 rows. More is refused before the first
// byte, with the number that matched (the problem answer says the ways to get them all);
// the streaming formats and the paged API have no cap.
import { ExportTooLarge } from '../domain/errors';
import { LIMITS } from '../domain/limits';

/** The same bound as exact counts in answers: an xlsx holds what `count=true` counts exactly. */
export const XLSX_MAX_ROWS = LIMITS.exactCount;
/** Counting stops just past this: beyond it the exact number helps no one, and the count stays cheap. */
export const COUNT_CEILING = 10_000_000;

export const xlsxTooLarge = (matched: number) => new ExportTooLarge(matched, XLSX_MAX_ROWS, COUNT_CEILING);
