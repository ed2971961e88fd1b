import type { InitOptions } from 'i18next'
import { LANGUAGES, type Language } from './languages'
import { NAMESPACES, RESOURCES } from './resources'

/**
 * The one i18next configuration, shared by the main process, the CLI and the renderer: bundled
 * resources (the app is offline), English fallback, `namespace:key` keys, synchronous init. Values
 * are not HTML-escaped here: React escapes on render, and the CLI and reports print plain text.
 */
export function i18nOptions(lng: Language): InitOptions {
  return {
    resources: RESOURCES as Record<string, Record<string, object>>,
    lng,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    ns: [...NAMESPACES],
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    initAsync: false,
  }
}
