import { useEffect, useState } from 'react'
import {
  Button,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Text,
  tokens,
} from '@fluentui/react-components'
import { useTranslation } from 'react-i18next'
import { FIELD_LIMITS, type NdrApi } from '../../../main/core/api/contract'
import { call } from '../api'

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    maxWidth: '760px',
  },
  row: {
    display: 'flex',
    gap: tokens.spacingHorizontalS,
    alignItems: 'flex-end',
    flexWrap: 'wrap',
  },
  grow: { flexGrow: 1 },
})

/** Who ticks steps, and all data as one file: export for another workstation, import from one. */
export function DataPanel(props: {
  api: NdrApi
  onError: (e: unknown) => void
  onImported: () => void
}) {
  const styles = useStyles()
  const { t, i18n } = useTranslation()
  const { api, onError } = props
  const [userName, setUserName] = useState('')
  const [savedName, setSavedName] = useState(false)
  const [exported, setExported] = useState<{ path: string; bytes: number; cases: number } | null>(
    null,
  )
  const [path, setPath] = useState('')
  const [imported, setImported] = useState<{ imported: number; skipped: number } | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    call(api, 'settings.get', {}).then((s) => setUserName(s.userName), onError)
  }, [api, onError])

  const run = async (f: () => Promise<void>) => {
    setBusy(true)
    try {
      await f()
    } catch (e) {
      onError(e)
    } finally {
      setBusy(false)
    }
  }
  const size = (n: number) =>
    new Intl.NumberFormat(i18n.language, {
      style: 'unit',
      unit: 'megabyte',
      maximumFractionDigits: 1,
    }).format(n / 1e6)

  return (
    <section className={styles.root} aria-labelledby="data-heading" data-testid="data-panel">
      <Text as="h2" id="data-heading" size={600} weight="semibold">
        {t('common:data.heading')}
      </Text>
      <div className={styles.row}>
        <Field
          label={t('common:settings.userName')}
          hint={t('common:settings.userNameHint')}
          className={styles.grow}
        >
          <Input
            value={userName}
            maxLength={FIELD_LIMITS.userName}
            onChange={(_e, d) => setUserName(d.value)}
            data-testid="user-name"
          />
        </Field>
        <Button
          disabled={busy || !userName.trim()}
          onClick={() =>
            void run(async () => {
              await call(api, 'settings.setUserName', { userName: userName.trim() })
              setSavedName(true)
            })
          }
          data-testid="user-name-save"
        >
          {savedName ? t('common:settings.saved') : t('common:track.save')}
        </Button>
      </div>
      <div className={styles.row}>
        <Button
          appearance="primary"
          disabled={busy}
          onClick={() => void run(async () => setExported(await call(api, 'data.export', {})))}
          data-testid="data-export"
        >
          {t('common:data.export')}
        </Button>
      </div>
      {exported && (
        <MessageBar intent="success" data-testid="data-exported">
          <MessageBarBody>
            {t('common:data.exported', {
              count: exported.cases,
              path: exported.path,
              size: size(exported.bytes),
            })}{' '}
            <Button
              size="small"
              appearance="transparent"
              onClick={() => void navigator.clipboard.writeText(exported.path)}
            >
              {t('common:data.copyPath')}
            </Button>
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.row}>
        <Field label={t('common:data.importLabel')} className={styles.grow}>
          <Input
            value={path}
            onChange={(_e, d) => setPath(d.value)}
            data-testid="data-import-path"
          />
        </Field>
        <Button
          disabled={busy || !path.trim()}
          onClick={() =>
            void run(async () => {
              setImported(await call(api, 'data.import', { path: path.trim() }))
              props.onImported()
            })
          }
          data-testid="data-import"
        >
          {t('common:data.import')}
        </Button>
      </div>
      {imported && (
        <MessageBar intent="success" data-testid="data-imported">
          <MessageBarBody>{t('common:data.imported', imported)}</MessageBarBody>
        </MessageBar>
      )}
    </section>
  )
}
