import i18next, { type TFunction } from 'i18next'
import type { Language } from '../core/i18n/languages'
import { i18nOptions } from '../core/i18n/options'

/** A translator for main-process text (menus, dialogs, CLI output), from the bundled locales. */
export function createTranslator(lng: Language): TFunction {
  const instance = i18next.createInstance()
  void instance.init(i18nOptions(lng))
  return instance.t
}

export { systemLocales } from './system-locales'
