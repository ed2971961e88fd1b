import { Dropdown, Option, useId } from '@fluentui/react-components'
import { LocalLanguage20Regular } from '@fluentui/react-icons'
import { useTranslation } from 'react-i18next'
import {
  LANGUAGE_NAMES,
  LANGUAGES,
  isLanguage,
  type Language,
} from '../../../main/core/i18n/languages'

export function LanguageSwitcher(props: { value: Language; onChange: (l: Language) => void }) {
  const { t } = useTranslation()
  const id = useId('lang')
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
      <LocalLanguage20Regular aria-hidden />
      <label htmlFor={id} className="visually-hidden">
        {t('common:language.label')}
      </label>
      <Dropdown
        id={id}
        data-testid="language-switcher"
        aria-label={t('common:language.label')}
        value={LANGUAGE_NAMES[props.value]}
        selectedOptions={[props.value]}
        onOptionSelect={(_e, d) => {
          if (isLanguage(d.optionValue)) props.onChange(d.optionValue)
        }}
        style={{ minWidth: 140 }}
      >
        {LANGUAGES.map((l) => (
          <Option key={l} value={l} lang={l} data-testid={`language-${l}`}>
            {LANGUAGE_NAMES[l]}
          </Option>
        ))}
      </Dropdown>
    </div>
  )
}
