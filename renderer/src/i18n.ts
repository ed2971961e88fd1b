import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import type { Language } from '../../main/core/i18n/languages'
import { i18nOptions } from '../../main/core/i18n/options'

export function initI18n(lng: Language): typeof i18next {
  void i18next.use(initReactI18next).init({ ...i18nOptions(lng), react: { useSuspense: false } })
  document.documentElement.lang = lng
  return i18next
}

export async function changeLanguage(lng: Language): Promise<void> {
  await i18next.changeLanguage(lng)
  document.documentElement.lang = lng
}
