import i18next, { type TFunction } from 'i18next'
import type { Language } from '../core/i18n/languages'
import { i18nOptions } from '../core/i18n/options'

/** A translator for main-process text (menus, dialogs, CLI output), from the bundled locales. */
export function createTranslator(lng: Language): TFunction {
  const instance = i18next.createInstance()
  void instance.init(i18nOptions(lng))
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
