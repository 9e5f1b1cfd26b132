// Dates in the admin's time zone, and the zones a picker offers.

export function formatDateTime(iso: string, timeZone?: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
}

export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Whether the runtime knows `zone` as an IANA time zone (the API checks the same way). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zones a picker offers: the ones that matter first (account's, this browser's, UTC), then every zone the browser knows. */
export function timeZoneChoices(first: readonly string[]): string[] {
  const intl = Intl as { supportedValuesOf?: (key: 'timeZone') => string[] };
  const all = intl.supportedValuesOf?.('timeZone') ?? [];
  return [...new Set([...first, 'UTC', ...all])];
}
