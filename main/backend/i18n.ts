import i18next, { type TFunction } from 'i18next'
import { LANGUAGES, type Language } from '../core/i18n/languages'
import { NAMESPACES, RESOURCES } from '../core/i18n/resources'

/** A translator for main-process text (menus, dialogs, CLI output), from the bundled locales. */
export function createTranslator(lng: Language): TFunction {
  const instance = i18next.createInstance()
  void instance.init({
    resources: RESOURCES as Record<string, Record<string, object>>,
    lng,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    ns: [...NAMESPACES],
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    initAsync: false,
  })
  return instance.t
}

/** The OS locales, most preferred first, as Node sees them (LANG/LC_* on Linux, ICU elsewhere). */
export function systemLocales(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string[] {
  const fromEnv = [env.LC_ALL, env.LC_MESSAGES, env.LANG, env.LANGUAGE?.split(':')[0]].filter(
    (v): v is string => !!v && v !== 'C' && v !== 'POSIX' && !v.startsWith('C.'),
  )
  return [...fromEnv, Intl.DateTimeFormat().resolvedOptions().locale]
}
