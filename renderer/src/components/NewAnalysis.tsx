import { useEffect, useRef, useState, type ClipboardEvent } from 'react'
import {
  Button,
  Field,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components'
import { DocumentSearch20Regular, FolderOpen20Regular } from '@fluentui/react-icons'
import { useTranslation } from 'react-i18next'
import { MAX_INPUT_CHARS, type CaseSummary, type NdrApi } from '../../../main/core/api/contract'
import { DropZone } from './DropZone'
import { LargeTextSummary, type LargeTextInfo } from './LargeTextSummary'
import { call, CallError } from '../api'
import {
  formatSize,
  LARGE_TEXT_CHARS,
  measureTextInSteps,
  previewOf,
  useClipboardReadable,
} from '../large-text'

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
  const { t, i18n } = useTranslation()
  const [text, setText] = useState('')
  const [fileName, setFileName] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const fileInput = useRef<HTMLInputElement>(null)

  const [binary, setBinary] = useState<string | undefined>()
  // Text above LARGE_TEXT_CHARS lives here, never in React state or the textarea: the summary
  // below shows its size and first lines (reliability P4).
  const largeText = useRef<string | null>(null)
  const clipboardReadable = useClipboardReadable()
  const [large, setLarge] = useState<LargeTextInfo | null>(null)
  const [tooLarge, setTooLarge] = useState<string | null>(null)
  /** A paste is being read from the clipboard (asynchronously): say so at once. */
  const [reading, setReading] = useState(false)
  const summary = useRef<HTMLDivElement>(null)

  // Lines and bytes are counted after the summary has been painted (a timer set from an animation
  // frame runs after that frame), a megabyte per task, so that no task is long.
  useEffect(() => {
    const value = largeText.current
    if (!large || large.lines !== null || value === null) return
    const steps = measureTextInSteps(value)
    let timer: ReturnType<typeof setTimeout> | undefined
    const next = () => {
      const r = steps.next()
      if (!r.done) return void (timer = setTimeout(next, 0))
      const { lines, bytes } = r.value
      // Only for the text it measured: a newer paste starts its own count.
      setLarge((l) => (l === large ? { ...l, lines, bytes } : l))
    }
    const frame = requestAnimationFrame(() => (timer = setTimeout(next, 0)))
    return () => {
      cancelAnimationFrame(frame)
      clearTimeout(timer)
    }
  }, [large])

  const clearLarge = () => {
    largeText.current = null
    setLarge(null)
  }

  /** Keeps large text out of the text box; refuses text above the limit with its size. */
  const takeText = (value: string): boolean => {
    setTooLarge(null)
    if (value.length > MAX_INPUT_CHARS) {
      clearLarge()
      setTooLarge(formatSize(value.length, i18n.language))
      return false
    }
    if (value.length <= LARGE_TEXT_CHARS) {
      clearLarge()
      setText(value)
      return true
    }
    largeText.current = value
    setText('')
    setLarge({ preview: previewOf(value), lines: null, bytes: null })
    return true
  }

  /** Puts pasted text where the paste went: into the text box (replacing the selection), or whole. */
  const applyPaste = (
    pasted: string,
    area: HTMLTextAreaElement | null,
    selection: readonly [number, number],
  ) => {
    const value = area ? text.slice(0, selection[0]) + pasted + text.slice(selection[1]) : pasted
    setBinary(undefined)
    setFileName(undefined)
    if (takeText(value) && value.length > LARGE_TEXT_CHARS)
      requestAnimationFrame(() => summary.current?.focus())
  }

  const onPaste = (e: ClipboardEvent<HTMLElement>) => {
    const area = e.currentTarget instanceof HTMLTextAreaElement ? e.currentTarget : null
    const selection = [area?.selectionStart ?? 0, area?.selectionEnd ?? 0] as const
    if (clipboardReadable.current) {
      // DataTransfer.getData reads the clipboard synchronously in this task: 50-70 ms for 10 MB,
      // a long task by itself. The Async Clipboard API reads it off the UI thread (measured: no
      // long task). The desktop app's session grants it to this page alone (main/electron/session.ts);
      // a browser only when the user allowed it.
      e.preventDefault()
      setReading(true)
      navigator.clipboard.readText().then(
        (pasted) => {
          setReading(false)
          if (area && pasted.length <= LARGE_TEXT_CHARS && document.activeElement === area) {
            // Small text goes in as typed text, so that Ctrl+Z still undoes the paste.
            area.setSelectionRange(selection[0], selection[1])
            if (document.execCommand('insertText', false, pasted)) return
          }
          applyPaste(pasted, area, selection)
        },
        () => {
          // Permission withdrawn meanwhile: the next paste reads the event's data instead.
          setReading(false)
          clipboardReadable.current = false
        },
      )
      return
    }
    const pasted = e.clipboardData.getData('text/plain')
    // Small pastes go into the text box the usual way.
    if (area && pasted.length <= LARGE_TEXT_CHARS) return
    e.preventDefault()
    // The summary renders in a task of its own so as not to lengthen this one.
    setTimeout(() => applyPaste(pasted, area, selection), 0)
  }

  const loadFile = async (file: File) => {
    if (file.size > MAX_INPUT_CHARS) {
      props.onError(new CallError({ code: 'too-large', message: 'file too large' }))
      return
    }
    const bytes = new Uint8Array(await file.arrayBuffer())
    setFileName(file.name)
    // Outlook .msg is a binary compound file (magic D0 CF 11 E0): send its bytes, not text.
    if (isCompoundFile(bytes)) {
      clearLarge()
      setTooLarge(null)
      setBinary(toBase64(bytes))
      setText(
        t('common:analyze.binaryLoaded', { name: file.name, size: bytes.length.toLocaleString() }),
      )
    } else {
      setBinary(undefined)
      takeText(new TextDecoder().decode(bytes))
    }
  }

  const hasInput = large !== null || text.trim() !== ''
  const analyze = async () => {
    const input = largeText.current ?? text
    if (!hasInput) return
    setBusy(true)
    try {
      const args = binary ? { base64: binary } : { text: input }
      const c = await call(props.api, 'cases.analyze', fileName ? { ...args, fileName } : args)
      setText('')
      setFileName(undefined)
      setBinary(undefined)
      clearLarge()
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
      {reading && (
        <Text role="status" data-testid="paste-reading">
          {t('common:analyze.large.reading')}
        </Text>
      )}
      <DropZone onFiles={(files) => void loadFile(files[0]!)}>
        {large ? (
          <LargeTextSummary
            ref={summary}
            info={large}
            fileName={fileName}
            onClear={() => {
              clearLarge()
              setFileName(undefined)
            }}
            onAnalyze={() => void analyze()}
            onPaste={onPaste}
          />
        ) : (
          <Field
            label={t('common:analyze.label')}
            hint={
              fileName
                ? t('common:analyze.loaded', { name: fileName })
                : t('common:analyze.dropHint')
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
                setTooLarge(null)
                setText(d.value)
                if (!d.value) setFileName(undefined)
              }}
              onPaste={onPaste}
              placeholder={t('common:analyze.placeholder')}
            />
          </Field>
        )}
      </DropZone>
      {tooLarge && (
        <MessageBar intent="error" data-testid="paste-too-large">
          <MessageBarBody>
            {t('common:analyze.large.tooLarge', {
              size: tooLarge,
              limit: formatSize(MAX_INPUT_CHARS, i18n.language),
            })}
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button
          appearance="primary"
          icon={busy ? <Spinner size="tiny" /> : <DocumentSearch20Regular />}
          disabled={busy || !hasInput}
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
