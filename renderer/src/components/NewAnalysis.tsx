import { useRef, useState } from 'react'
import {
  Button,
  Field,
  makeStyles,
  Spinner,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components'
import { DocumentSearch20Regular, FolderOpen20Regular } from '@fluentui/react-icons'
import { useTranslation } from 'react-i18next'
import { MAX_INPUT_CHARS, type CaseSummary, type NdrApi } from '../../../main/core/api/contract'
import { DropZone } from './DropZone'
import { call, CallError } from '../api'

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    maxWidth: '960px',
  },
  drop: {
    borderRadius: tokens.borderRadiusLarge,
    outline: `2px dashed transparent`,
    outlineOffset: '4px',
  },
  dropActive: { outline: `2px dashed ${tokens.colorBrandStroke1}` },
  textarea: { minHeight: '320px', fontFamily: tokens.fontFamilyMonospace },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  hint: { color: tokens.colorNeutralForeground3 },
})

export function NewAnalysis(props: {
  api: NdrApi
  onAnalyzed: (c: CaseSummary) => void
  onError: (e: unknown) => void
}) {
  const styles = useStyles()
  const { t } = useTranslation()
  const [text, setText] = useState('')
  const [fileName, setFileName] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const fileInput = useRef<HTMLInputElement>(null)

  const [binary, setBinary] = useState<string | undefined>()

  const loadFile = async (file: File) => {
    if (file.size > MAX_INPUT_CHARS) {
      props.onError(new CallError({ code: 'too-large', message: 'file too large' }))
      return
    }
    const bytes = new Uint8Array(await file.arrayBuffer())
    setFileName(file.name)
    // Outlook .msg is a binary compound file (magic D0 CF 11 E0): send its bytes, not text.
    if (isCompoundFile(bytes)) {
      setBinary(toBase64(bytes))
      setText(
        t('common:analyze.binaryLoaded', { name: file.name, size: bytes.length.toLocaleString() }),
      )
    } else {
      setBinary(undefined)
      setText(new TextDecoder().decode(bytes))
    }
  }

  const analyze = async () => {
    if (!text.trim()) return
    setBusy(true)
    try {
      const input = binary ? { base64: binary } : { text }
      const c = await call(props.api, 'cases.analyze', fileName ? { ...input, fileName } : input)
      setText('')
      setFileName(undefined)
      setBinary(undefined)
      props.onAnalyzed(c)
    } catch (e) {
      props.onError(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className={styles.root} aria-labelledby="new-heading">
      <Text as="h2" id="new-heading" size={600} weight="semibold">
        {t('common:analyze.heading')}
      </Text>
      <Text className={styles.hint}>{t('common:analyze.intro')}</Text>
      <Text size={200} className={styles.hint}>
        {t('common:analyze.keys')}
      </Text>
      <DropZone onFiles={(files) => void loadFile(files[0]!)}>
        <Field
          label={t('common:analyze.label')}
          hint={
            fileName ? t('common:analyze.loaded', { name: fileName }) : t('common:analyze.dropHint')
          }
        >
          <Textarea
            textarea={
              {
                className: styles.textarea,
                spellCheck: false,
                'data-testid': 'paste-area',
              } as object
            }
            resize="vertical"
            value={text}
            readOnly={binary !== undefined}
            onKeyDown={(e) => {
              // Ctrl/⌘+Enter analyzes without leaving the keyboard.
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault()
                void analyze()
              }
            }}
            onChange={(_e, d) => {
              setText(d.value)
              if (!d.value) setFileName(undefined)
            }}
            placeholder={t('common:analyze.placeholder')}
          />
        </Field>
      </DropZone>
      <div className={styles.actions}>
        <Button
          appearance="primary"
          icon={busy ? <Spinner size="tiny" /> : <DocumentSearch20Regular />}
          disabled={busy || !text.trim()}
          onClick={() => void analyze()}
          data-testid="analyze"
        >
          {busy ? t('common:analyze.busy') : t('common:analyze.button')}
        </Button>
        <Button icon={<FolderOpen20Regular />} onClick={() => fileInput.current?.click()}>
          {t('common:analyze.open')}
        </Button>
        <input
          ref={fileInput}
          type="file"
          accept=".eml,.txt,.msg,.mbox,message/rfc822,text/plain"
          hidden
          aria-hidden
          tabIndex={-1}
          onChange={(e) => {
            const f = e.target.files?.[0]
            if (f) void loadFile(f)
            e.target.value = ''
          }}
        />
      </div>
    </section>
  )
}

function isCompoundFile(b: Uint8Array): boolean {
  return b.length >= 8 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0
}

function toBase64(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(s)
}
