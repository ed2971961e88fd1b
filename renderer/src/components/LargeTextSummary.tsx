import type { ClipboardEvent, Ref } from 'react'
import { Button, makeStyles, Text, tokens } from '@fluentui/react-components'
import { Dismiss20Regular, DocumentText20Regular } from '@fluentui/react-icons'
import { useTranslation } from 'react-i18next'
import { formatSize } from '../large-text'

export interface LargeTextInfo {
  /** The first lines, a few kilobytes at most. */
  readonly preview: string
  /** Null until counted, in a task of its own just after the paste. */
  readonly lines: number | null
  readonly bytes: number | null
}

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusLarge,
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}` },
  },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  title: { flexGrow: 1 },
  hint: { color: tokens.colorNeutralForeground3 },
  preview: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'pre',
    overflow: 'auto',
    maxHeight: '240px',
    margin: 0,
    padding: tokens.spacingHorizontalS,
    backgroundColor: tokens.colorNeutralBackground2,
    borderRadius: tokens.borderRadiusMedium,
  },
})

/**
 * Stands in for the text box when the input is too large to edit comfortably (reliability P4): its
 * size, its line count and its first lines. The text itself stays out of the DOM.
 */
export function LargeTextSummary({
  ref,
  info,
  fileName,
  onClear,
  onAnalyze,
  onPaste,
}: {
  ref: Ref<HTMLDivElement>
  info: LargeTextInfo
  fileName: string | undefined
  onClear: () => void
  onAnalyze: () => void
  /** A paste here replaces the text. */
  onPaste: (e: ClipboardEvent<HTMLDivElement>) => void
}) {
  const styles = useStyles()
  const { t, i18n } = useTranslation()
  return (
    <div
      ref={ref}
      className={styles.root}
      role="group"
      aria-labelledby="large-text-title"
      aria-describedby="large-text-size"
      tabIndex={-1}
      data-testid="large-paste"
      onPaste={onPaste}
      onKeyDown={(e) => {
        // Ctrl/⌘+Enter analyzes, as in the text box this stands in for.
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault()
          onAnalyze()
        }
      }}
    >
      <div className={styles.header}>
        <DocumentText20Regular aria-hidden />
        <Text id="large-text-title" weight="semibold" className={styles.title}>
          {fileName
            ? t('common:analyze.large.fileTitle', { name: fileName })
            : t('common:analyze.large.title')}
        </Text>
        <Button
          appearance="subtle"
          icon={<Dismiss20Regular />}
          onClick={onClear}
          data-testid="large-clear"
        >
          {t('common:analyze.large.clear')}
        </Button>
      </div>
      <Text id="large-text-size" data-testid="large-paste-size" aria-live="polite">
        {info.lines === null || info.bytes === null
          ? t('common:analyze.large.measuring')
          : t('common:analyze.large.size', {
              size: formatSize(info.bytes, i18n.language),
              lines: info.lines.toLocaleString(i18n.language),
            })}
      </Text>
      <Text size={200} className={styles.hint}>
        {t('common:analyze.large.hint')}
      </Text>
      <pre
        className={styles.preview}
        tabIndex={0}
        aria-label={t('common:analyze.large.preview')}
        data-testid="large-preview"
      >
        {info.preview}
      </pre>
    </div>
  )
}
