import { useEffect, useState } from 'react'
import {
  Badge,
  Button,
  Dropdown,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Option,
  Spinner,
  Tab,
  TabList,
  Text,
  tokens,
} from '@fluentui/react-components'
import { ArrowDownload20Regular } from '@fluentui/react-icons'
import { useTranslation } from 'react-i18next'
import {
  FIELD_LIMITS,
  type Args,
  type CaseDetail,
  type CaseSummary,
  type CaseTab,
  type NdrApi,
} from '../../../main/core/api/contract'
import {
  LANGUAGE_NAMES,
  LANGUAGES,
  isLanguage,
  type Language,
} from '../../../main/core/i18n/languages'
import { call } from '../api'
import { saveFile } from '../download'
import { formatDateTime } from '../../../main/core/i18n/format'
import { formatSize } from '../large-text'
import { badgeColor } from './CaseList'
import { ConnectorsPanel } from './ConnectorsPanel'
import { Explanation } from './Explanation'
import { HtmlView } from './HtmlView'
import { ParseFacts } from './ParseFacts'

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    maxWidth: '1100px',
  },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalXL,
    rowGap: tokens.spacingVerticalS,
    margin: 0,
    '& dt': { color: tokens.colorNeutralForeground3 },
    '& dd': { margin: 0 },
  },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase400 },
  source: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingHorizontalM,
    maxHeight: '60vh',
    overflow: 'auto',
    margin: 0,
  },
  truncated: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
    marginBlock: tokens.spacingVerticalS,
  },
})

/**
 * The original shown in full up to this many characters (every corpus sample is under 50 KB); a
 * longer one shows its beginning and can be saved whole. Laying out 64 KB of text takes a few
 * milliseconds; 10 MB took 2.5 s in one task.
 */
const SOURCE_SHOWN_CHARS = 64 * 1024

/** Keyed by case id by its parent, so a new case starts from a clean state. */
export function CaseView(props: {
  api: NdrApi
  id: number
  onError: (e: unknown) => void
  /** Told when the case's summary changed (title, state, trash), so the list can refresh. */
  onChanged: () => void
  /** The open tab, kept by the parent so that reopening the app returns to it. */
  tab: CaseTab
  onTab: (tab: CaseTab) => void
  /** PDF export exists in the desktop app only (Electron's printToPDF). */
  canPdf: boolean
}) {
  const styles = useStyles()
  const { t, i18n } = useTranslation()
  const [detail, setDetail] = useState<CaseDetail | null>(null)
  const { tab, onTab: setTab } = props
  const { api, id, onError } = props

  useEffect(() => {
    let live = true
    call(api, 'cases.get', { id }).then(
      (d) => live && setDetail(d),
      (e: unknown) => live && onError(e),
    )
    return () => {
      live = false
    }
  }, [api, id, onError])

  if (!detail) return <Spinner label={t('common:actions.loading')} />
  return (
    <article className={styles.root} aria-labelledby="case-title" data-testid="case-view">
      <Text as="h2" id="case-title" size={600} weight="semibold">
        {detail.title || t('common:cases.untitled')}
      </Text>
      <CaseHeader
        canPdf={props.canPdf}
        api={api}
        detail={detail}
        onSaved={(summary) => {
          setDetail({ ...detail, ...summary })
          props.onChanged()
        }}
        onError={onError}
      />
      <dl className={styles.facts}>
        <dt>{t('common:case.status')}</dt>
        <dd>
          <Badge
            appearance="filled"
            color={badgeColor(detail.status)}
            className={styles.code}
            data-testid="case-status"
          >
            {detail.status ?? t('common:cases.noCode')}
          </Badge>
        </dd>
        <dt>{t('common:case.created')}</dt>
        <dd>{formatDateTime(detail.createdAt, i18n.language)}</dd>
        {detail.fileName && (
          <>
            <dt>{t('common:case.file')}</dt>
            <dd>{detail.fileName}</dd>
          </>
        )}
        <dt>{t('common:case.id')}</dt>
        <dd>#{detail.id}</dd>
      </dl>
      <TabList
        selectedValue={tab}
        onTabSelect={(_e, d) => setTab(d.value as CaseTab)}
        aria-label={t('common:case.tabs')}
      >
        <Tab value="explanation" data-testid="tab-explanation">
          {t('common:case.tabExplanation')}
        </Tab>
        <Tab value="details" data-testid="tab-details">
          {t('common:case.tabDetails')}
        </Tab>
        <Tab value="connectors" data-testid="tab-connectors">
          {t('common:connectors.nav')}
        </Tab>
      </TabList>
      {tab === 'explanation' &&
        (detail.parse?.ok ? (
          <Explanation api={props.api} caseId={detail.id} onError={props.onError} />
        ) : (
          <Text data-testid="no-explanation">{t('common:case.noExplanation')}</Text>
        ))}
      {tab === 'details' && (
        <>
          {detail.parse && <ParseFacts parse={detail.parse} />}
          <HtmlView api={api} caseId={detail.id} onError={onError} />
          <section aria-labelledby="source-heading">
            <Text as="h3" id="source-heading" size={400} weight="semibold">
              {t('common:case.source')}
            </Text>
            {detail.binarySize === null && detail.text.length > SOURCE_SHOWN_CHARS && (
              <div className={styles.truncated} data-testid="case-source-truncated">
                <Text>
                  {t('common:case.sourceTruncated', {
                    shown: formatSize(SOURCE_SHOWN_CHARS, i18n.language),
                    size: formatSize(detail.text.length, i18n.language),
                  })}
                </Text>
                <Button
                  size="small"
                  icon={<ArrowDownload20Regular />}
                  onClick={() =>
                    saveFile(detail.text, detail.fileName ?? `case-${detail.id}.txt`, 'text/plain')
                  }
                  data-testid="case-source-save"
                >
                  {t('common:case.saveSource')}
                </Button>
              </div>
            )}
            {/* Shown as text, never as HTML: the NDR is untrusted input. Only its beginning when it
                is large: laying out 10 MB of text blocks the window for seconds (reliability P4). */}
            <pre className={styles.source} tabIndex={0} data-testid="case-source">
              {detail.binarySize === null
                ? detail.text.length > SOURCE_SHOWN_CHARS
                  ? detail.text.slice(0, SOURCE_SHOWN_CHARS)
                  : detail.text
                : t('common:case.binary', {
                    size: detail.binarySize.toLocaleString(i18n.language),
                  })}
            </pre>
          </section>
        </>
      )}
      {tab === 'connectors' && (
        <ConnectorsPanel api={props.api} caseId={detail.id} onError={props.onError} />
      )}
    </article>
  )
}

/** Title, ticket, tags, open/resolved and the trash: saved as soon as the user confirms. */
function CaseHeader(props: {
  canPdf: boolean
  api: NdrApi
  detail: CaseDetail
  onSaved: (c: CaseSummary) => void
  onError: (e: unknown) => void
}) {
  const { t } = useTranslation()
  const { api, detail } = props
  const [editing, setEditing] = useState(false)
  const [title, setTitle] = useState(detail.title)
  const [ticket, setTicket] = useState(detail.ticket)
  const [tags, setTags] = useState(detail.tags.join(', '))
  const save = async (changes: Omit<Args<'cases.update'>, 'id'>) => {
    try {
      props.onSaved(await call(api, 'cases.update', { id: detail.id, ...changes }))
      setEditing(false)
    } catch (e) {
      props.onError(e)
    }
  }
  const trash = async (deleted: boolean) => {
    try {
      props.onSaved(await call(api, deleted ? 'cases.delete' : 'cases.restore', { id: detail.id }))
    } catch (e) {
      props.onError(e)
    }
  }
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      {detail.deletedAt && (
        <MessageBar intent="warning" data-testid="case-in-trash">
          <MessageBarBody>{t('common:track.inTrash')}</MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => void trash(false)} data-testid="case-restore">
              {t('common:track.restore')}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
        <Badge
          appearance="tint"
          color={detail.state === 'resolved' ? 'success' : 'brand'}
          data-testid="case-state"
        >
          {t(`common:track.caseState.${detail.state}`)}
        </Badge>
        {detail.ticket && (
          <Badge appearance="outline">
            {t('common:track.ticketShort', { ticket: detail.ticket })}
          </Badge>
        )}
        {detail.tags.map((tag) => (
          <Badge key={tag} appearance="outline" color="informative">
            {tag}
          </Badge>
        ))}
        <Button
          size="small"
          onClick={() => void save({ state: detail.state === 'open' ? 'resolved' : 'open' })}
          data-testid="case-toggle-state"
        >
          {detail.state === 'open' ? t('common:track.markResolved') : t('common:track.reopen')}
        </Button>
        <Button
          size="small"
          appearance="subtle"
          onClick={() => setEditing((v) => !v)}
          data-testid="case-edit"
        >
          {t('common:track.edit')}
        </Button>
        <ReportButtons api={api} caseId={detail.id} onError={props.onError} canPdf={props.canPdf} />
        {!detail.deletedAt && (
          <Button
            size="small"
            appearance="subtle"
            onClick={() => void trash(true)}
            data-testid="case-delete"
          >
            {t('common:track.delete')}
          </Button>
        )}
      </div>
      {editing && (
        <div style={{ display: 'flex', gap: 8, alignItems: 'flex-end', flexWrap: 'wrap' }}>
          <Field label={t('common:track.title')}>
            <Input
              value={title}
              maxLength={FIELD_LIMITS.title}
              onChange={(_e, d) => setTitle(d.value)}
              data-testid="case-title-input"
            />
          </Field>
          <Field label={t('common:track.ticket')}>
            <Input
              value={ticket}
              maxLength={FIELD_LIMITS.ticket}
              onChange={(_e, d) => setTicket(d.value)}
              data-testid="case-ticket-input"
            />
          </Field>
          <Field label={t('common:track.tags')} hint={t('common:track.tagsHint')}>
            <Input
              value={tags}
              onChange={(_e, d) => setTags(d.value)}
              data-testid="case-tags-input"
            />
          </Field>
          <Button
            appearance="primary"
            onClick={() =>
              void save({
                // The inputs' maxLength already holds title and ticket to their limits.
                title: title.trim(),
                ticket: ticket.trim(),
                tags: [
                  ...new Set(
                    tags
                      .split(',')
                      .map((x) => x.trim())
                      .filter(Boolean),
                  ),
                ]
                  .slice(0, FIELD_LIMITS.tags)
                  .map((x) => x.slice(0, FIELD_LIMITS.tag)),
              })
            }
            data-testid="case-save"
          >
            {t('common:track.save')}
          </Button>
        </div>
      )}
    </div>
  )
}

/** The case as a report: Markdown or HTML file in a chosen language, or Markdown for a ticket. */
function ReportButtons(props: {
  api: NdrApi
  caseId: number
  onError: (e: unknown) => void
  canPdf: boolean
}) {
  const { t, i18n } = useTranslation()
  const uiLang: Language = isLanguage(i18n.language) ? i18n.language : 'en'
  const [lang, setLang] = useState<Language | null>(null)
  const [copied, setCopied] = useState(false)
  const language = lang ?? uiLang
  const get = (format: 'md' | 'html' | 'pdf') =>
    call(props.api, 'cases.report', { id: props.caseId, language, format })
  const run = (f: () => Promise<void>) => void f().catch(props.onError)
  return (
    <>
      <Dropdown
        size="small"
        aria-label={t('common:report.language')}
        value={LANGUAGE_NAMES[language]}
        selectedOptions={[language]}
        onOptionSelect={(_e, d) => isLanguage(d.optionValue) && setLang(d.optionValue)}
        style={{ minWidth: 110 }}
      >
        {LANGUAGES.map((l) => (
          <Option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </Option>
        ))}
      </Dropdown>
      <Button
        size="small"
        onClick={() =>
          run(async () => saveFile(await get('md'), `case-${props.caseId}.md`, 'text/markdown'))
        }
        data-testid="report-md"
      >
        {t('common:report.exportMd')}
      </Button>
      <Button
        size="small"
        onClick={() =>
          run(async () => saveFile(await get('html'), `case-${props.caseId}.html`, 'text/html'))
        }
        data-testid="report-html"
      >
        {t('common:report.exportHtml')}
      </Button>
      {props.canPdf && (
        <Button
          size="small"
          onClick={() =>
            run(async () => {
              const bytes = Uint8Array.from(atob(await get('pdf')), (c) => c.charCodeAt(0))
              saveFile(bytes, `case-${props.caseId}.pdf`, 'application/pdf')
            })
          }
          data-testid="report-pdf"
        >
          {t('common:report.exportPdf')}
        </Button>
      )}
      <Button
        size="small"
        onClick={() =>
          run(async () => {
            await navigator.clipboard.writeText(await get('md'))
            setCopied(true)
            setTimeout(() => setCopied(false), 1500)
          })
        }
        data-testid="report-copy"
      >
        {copied ? t('common:explain.copied') : t('common:report.copyTicket')}
      </Button>
    </>
  )
}
