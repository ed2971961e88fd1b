// Small pieces of text every surface writes the same way (the app, the CLI, the case reports), in
// the language asked for. Pure: Intl and the translation function passed in.

/**
 * The translation function each surface has (i18next's `t`, the KB's `Translate`). Params are
 * required in the type so that i18next's overloaded `t` fits it.
 */
type Translate = (key: string, params: Record<string, string>) => string

/** A date and time in the language's own format, in the local time zone (stored: ISO 8601 UTC). */
export function formatDateTime(iso: string, lng: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' }).format(d)
}

/** "Label: value" as the language writes it (French "Label : value", Chinese "Label：value"). */
export function labelValue(t: Translate, label: string, value: string): string {
  return t('common:labelValue', { label, value })
}

/** Words listed in a sentence: "a, b", or "a、b" in Japanese and Chinese. */
export function listOf(t: Translate, items: readonly string[]): string {
  return items.join(t('common:listSeparator', {}))
}
