import { useCallback, useEffect, useRef, useState } from 'react'
import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Text,
  tokens,
} from '@fluentui/react-components'
import {
  Add20Regular,
  Dismiss20Regular,
  MailError24Regular,
  PlugConnected20Regular,
  Database20Regular,
} from '@fluentui/react-icons'
import { useTranslation } from 'react-i18next'
import type { ApiError, AppInfo, CaseSummary, CaseTab, NdrApi } from '../../main/core/api/contract'
import { isLanguage, type Language } from '../../main/core/i18n/languages'
import { call, CallError } from './api'
import { formatDateTime } from '../../main/core/i18n/format'
import { changeLanguage } from './i18n'
import { CaseList, type CaseFilter } from './components/CaseList'
import {
  historyArgs,
  NO_HISTORY_FILTER,
  type HistoryFilter,
} from '../../main/core/api/history-filter'
import { CaseView } from './components/CaseView'
import { ConnectorsPanel } from './components/ConnectorsPanel'
import { DataPanel } from './components/DataPanel'
import { LanguageSwitcher } from './components/LanguageSwitcher'
import { NewAnalysis } from './components/NewAnalysis'

const useStyles = makeStyles({
  shell: {
    display: 'grid',
    gridTemplateRows: 'auto 1fr',
    height: '100vh',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  brand: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexGrow: 1 },
  switcher: {
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    borderRadius: tokens.borderRadiusMedium,
    padding: '2px 8px',
  },
  body: { display: 'grid', gridTemplateColumns: 'minmax(240px, 320px) 1fr', minHeight: 0 },
  sidebar: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    minHeight: 0,
  },
  main: { overflow: 'auto', padding: tokens.spacingHorizontalXXL, minWidth: 0 },
})

type View =
  { kind: 'new' } | { kind: 'connectors' } | { kind: 'data' } | { kind: 'case'; id: number }

export function App({ api }: { api: NdrApi }) {
  const styles = useStyles()
  const { t, i18n } = useTranslation()
  const [cases, setCases] = useState<readonly CaseSummary[]>([])
  const [query, setQuery] = useState('')
  const [filter, setFilter] = useState<CaseFilter>('all')
  const [history, setHistory] = useState<HistoryFilter>(NO_HISTORY_FILTER)
  const [view, setView] = useState<View>({ kind: 'new' })
  const [tab, setTab] = useState<CaseTab>('explanation')
  const restored = useRef(false)

  // Reopening the app returns to the case and tab the user was on (issue 6).
  useEffect(() => {
    call(api, 'settings.get', {}).then(
      (s) => {
        if (restored.current) return
        restored.current = true
        if (s.lastView.caseId !== null) {
          setView({ kind: 'case', id: s.lastView.caseId })
          setTab(s.lastView.tab)
        }
      },
      () => undefined,
    )
  }, [api])
  // Keyboard: Ctrl/⌘+K (or "/" outside a text field) jumps to the case search.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const inField =
        e.target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)
      if (
        ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') ||
        (e.key === '/' && !inField)
      ) {
        e.preventDefault()
        document.querySelector<HTMLInputElement>('[data-testid="case-search"]')?.focus()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  const caseId = view.kind === 'case' ? view.id : null
  useEffect(() => {
    if (!restored.current) return
    void call(api, 'settings.setLastView', { caseId, tab }).catch(() => undefined)
  }, [api, caseId, tab])
  const [error, setError] = useState<ApiError | null>(null)
  // An error belongs to the action that failed: moving to another view (a new analysis that
  // succeeded opens its case) clears it. It used to stay above the next, successful case (session 5).
  const go = (v: View) => {
    restored.current = true
    setError(null)
    setView(v)
  }
  const openCase = (id: number) => {
    restored.current = true
    setError(null)
    setTab('explanation')
    setView({ kind: 'case', id })
  }
  const lang = isLanguage(i18n.language) ? i18n.language : 'en'

  const [info, setInfo] = useState<AppInfo | null>(null)
  useEffect(() => {
    call(api, 'app.info', {}).then(setInfo, () => undefined)
  }, [api])

  const report = useCallback((e: unknown) => {
    setError(e instanceof CallError ? e.error : { code: 'internal', message: String(e) })
  }, [])

  const refresh = useCallback(
    async (q: string) => {
      try {
        const scope =
          filter === 'trash' ? { trash: true } : filter === 'all' ? {} : { state: filter }
        const args = { ...scope, ...historyArgs(history), ...(q ? { query: q } : {}) }
        setCases(await call(api, 'cases.list', args))
      } catch (e) {
        report(e)
      }
    },
    [api, report, filter, history],
  )

  useEffect(() => {
    const timer = setTimeout(() => void refresh(query), query ? 150 : 0)
    return () => clearTimeout(timer)
  }, [refresh, query])

  const onLanguage = async (l: Language) => {
    await changeLanguage(l)
    try {
      await call(api, 'settings.setLanguage', { language: l })
    } catch (e) {
      report(e)
    }
  }

  const onAnalyzed = (c: CaseSummary) => {
    openCase(c.id)
    void refresh(query)
  }

  return (
    <div className={styles.shell}>
      <header className={styles.header}>
        <div className={styles.brand}>
          <MailError24Regular aria-hidden />
          <Text as="h1" weight="semibold" size={500}>
            {t('common:app.title')}
          </Text>
        </div>
        <div className={styles.switcher}>
          <LanguageSwitcher value={lang} onChange={(l) => void onLanguage(l)} />
        </div>
      </header>
      <div className={styles.body}>
        <nav className={styles.sidebar} aria-label={t('common:cases.heading')}>
          <Button
            appearance="primary"
            icon={<Add20Regular />}
            onClick={() => go({ kind: 'new' })}
            data-testid="new-analysis"
          >
            {t('common:cases.new')}
          </Button>
          <Button
            appearance={view.kind === 'connectors' ? 'secondary' : 'subtle'}
            icon={<PlugConnected20Regular />}
            onClick={() => go({ kind: 'connectors' })}
            data-testid="nav-connectors"
          >
            {t('common:connectors.nav')}
          </Button>
          <Button
            appearance={view.kind === 'data' ? 'secondary' : 'subtle'}
            icon={<Database20Regular />}
            onClick={() => go({ kind: 'data' })}
            data-testid="nav-data"
          >
            {t('common:data.nav')}
          </Button>
          <CaseList
            cases={cases}
            query={query}
            onQuery={setQuery}
            filter={filter}
            onFilter={setFilter}
            history={history}
            onHistory={setHistory}
            api={api}
            selectedId={view.kind === 'case' ? view.id : null}
            onSelect={openCase}
          />
        </nav>
        <main className={styles.main}>
          {info?.recovery && (
            <MessageBar intent="warning" style={{ marginBottom: 16 }} data-testid="recovery-notice">
              <MessageBarBody>
                <MessageBarTitle>{t('common:recovery.title')}</MessageBarTitle>
                {info.recovery.restoredFrom
                  ? t('common:recovery.restored', {
                      movedTo: info.recovery.movedTo,
                      since: info.recovery.backupTakenAt
                        ? formatDateTime(info.recovery.backupTakenAt, lang)
                        : '',
                    })
                  : t('common:recovery.empty', { movedTo: info.recovery.movedTo })}
              </MessageBarBody>
            </MessageBar>
          )}
          {info?.readOnly && (
            <MessageBar
              intent="warning"
              style={{ marginBottom: 16 }}
              data-testid="read-only-notice"
            >
              <MessageBarBody>
                {t('common:recovery.readOnly')} {t(`errors:storage.${info.readOnly.code}`)}
              </MessageBarBody>
            </MessageBar>
          )}
          {error && (
            <MessageBar intent="error" style={{ marginBottom: 16 }} data-testid="error-bar">
              <MessageBarBody>
                {error.code === 'unreadable' && typeof error.params?.reason === 'string'
                  ? t(`parse:errors.${error.params.reason}`, { ...error.params })
                  : error.code === 'storage' && typeof error.params?.storage === 'string'
                    ? t(`errors:storage.${error.params.storage}`)
                    : t(`errors:api.${error.code}`, { ...error.params })}
              </MessageBarBody>
              <MessageBarActions
                containerAction={
                  <Button
                    appearance="transparent"
                    aria-label={t('common:actions.dismiss')}
                    icon={<Dismiss20Regular />}
                    onClick={() => setError(null)}
                  />
                }
              />
            </MessageBar>
          )}
          {view.kind === 'new' && (
            <NewAnalysis api={api} onAnalyzed={onAnalyzed} onError={report} />
          )}
          {view.kind === 'connectors' && <ConnectorsPanel api={api} onError={report} />}
          {view.kind === 'data' && (
            <DataPanel api={api} onError={report} onImported={() => void refresh(query)} />
          )}
          {view.kind === 'case' && (
            <CaseView
              key={view.id}
              api={api}
              id={view.id}
              onError={report}
              onChanged={() => void refresh(query)}
              tab={tab}
              onTab={setTab}
              canPdf={info?.mode === 'electron'}
            />
          )}
        </main>
      </div>
    </div>
  )
}
