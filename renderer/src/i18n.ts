import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { LANGUAGES, type Language } from '../../main/core/i18n/languages'
import { NAMESPACES, RESOURCES } from '../../main/core/i18n/resources'

export function initI18n(lng: Language): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: RESOURCES as Record<string, Record<string, object>>,
    lng,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    ns: [...NAMESPACES],
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    initAsync: false,
    react: { useSuspense: false },
  })
  document.documentElement.lang = lng
  return i18next
}

export async function changeLanguage(lng: Language): Promise<void> {
  await i18next.changeLanguage(lng)
  document.documentElement.lang = lng
}
