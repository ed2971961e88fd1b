import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components'
import { useTranslation } from 'react-i18next'

/** Browser mode opened without the token the `serve` command printed. */
export function NoConnection() {
  const { t } = useTranslation()
  return (
    <main style={{ padding: 32, maxWidth: 720 }}>
      <MessageBar intent="warning">
        <MessageBarBody>
          <MessageBarTitle>{t('common:noConnection.title')}</MessageBarTitle>
          {t('common:noConnection.body')}
        </MessageBarBody>
      </MessageBar>
    </main>
  )
}
