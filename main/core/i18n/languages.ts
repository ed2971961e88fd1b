/** The five languages the product ships, in the order the language switcher shows them. */
export const LANGUAGES = ['en', 'ja', 'zh-TW', 'it', 'fr'] as const
export type Language = (typeof LANGUAGES)[number]

/** Each language's own name: a switcher lists languages the way their readers write them. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: 'English',
  ja: '日本語',
  'zh-TW': '繁體中文',
  it: 'Italiano',
  fr: 'Français',
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

/**
 * Maps an OS or browser locale (BCP 47 or POSIX, e.g. `ja-JP`, `fr_CA.UTF-8`, `zh-Hant-HK`) to one of
 * the five, or undefined. Simplified Chinese is deliberately not mapped to zh-TW: a reader of
 * simplified script is better served by English than by a script they did not choose.
 */
export function matchLanguage(locale: string | undefined | null): Language | undefined {
  if (!locale) return undefined
  const tag = locale.split('.')[0]!.replace(/_/g, '-').toLowerCase()
  const [primary, ...rest] = tag.split('-')
  switch (primary) {
    case 'en':
      return 'en'
    case 'ja':
      return 'ja'
    case 'it':
      return 'it'
    case 'fr':
      return 'fr'
    case 'zh': {
      if (
        rest.includes('hant') ||
        rest.includes('tw') ||
        rest.includes('hk') ||
        rest.includes('mo')
      ) {
        return 'zh-TW'
      }
      return undefined
    }
    default:
      return undefined
  }
}

/** First of the given locales (most preferred first) that maps to a shipped language, else English. */
export function pickLanguage(locales: readonly (string | undefined | null)[]): Language {
  for (const l of locales) {
    const m = matchLanguage(l)
    if (m) return m
  }
  return 'en'
}
