import { createRoot } from 'react-dom/client'
import { StrictMode } from 'react'
import { FluentProvider, webLightTheme } from '@fluentui/react-components'
import { matchLanguage, type Language } from '../../main/core/i18n/languages'
import { call, connect } from './api'
import { App } from './App'
import { NoConnection } from './components/NoConnection'
import { initI18n } from './i18n'
import './global.css'

async function boot(): Promise<void> {
  const root = createRoot(document.getElementById('root')!)
  const transport = connect()
  const browserLanguage = navigator.languages.map(matchLanguage).find((l) => l !== undefined)
  if (transport.kind === 'none') {
    initI18n(browserLanguage ?? 'en')
    root.render(
      <FluentProvider theme={webLightTheme}>
        <NoConnection />
      </FluentProvider>,
    )
    return
  }
  let lng: Language = browserLanguage ?? 'en'
  try {
    const s = await call(transport.api, 'settings.get', {})
    lng = s.language ?? browserLanguage ?? s.systemLanguage
  } catch {
    // The app still opens; the failing call shows its own error once the UI is up.
  }
  initI18n(lng)
  root.render(
    <StrictMode>
      <FluentProvider theme={webLightTheme} style={{ height: '100%' }}>
        <App api={transport.api} />
      </FluentProvider>
    </StrictMode>,
  )
}

void boot()
