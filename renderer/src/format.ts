/** Dates in the UI language's own format, in the user's time zone. */
export function formatDateTime(iso: string, lng: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' }).format(d)
}
