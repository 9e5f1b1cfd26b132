// Cutting text to a limit the same way everywhere (stored values, spreadsheet cells), so a
// reader learns one mark for "there was more".

export const TRUNCATION_MARK = '… [truncated]';

/** Text cut to `maxChars` code units, the mark included, never splitting a surrogate pair.
 *  Names and labels take a plain ellipsis: the long mark would crowd out what is left. */
export function truncate(text: string, maxChars: number, mark = TRUNCATION_MARK): string {
  if (text.length <= maxChars) return text;
  let head = text.slice(0, maxChars - mark.length);
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  return head + mark;
}
