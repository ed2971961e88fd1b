import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
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
  MessageBarTitle,
  Option,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  tokens,
  useId,
} from '@fluentui/react-components'
import {
  ArrowDownload16Regular,
  ArrowUpload20Regular,
  Copy16Regular,
  Delete16Regular,
} from '@fluentui/react-icons'
import { useTranslation } from 'react-i18next'
import {
  EXPORTS_TOO_LARGE_ERROR,
  exportsFit,
  MAX_EXPORT_FILES,
  type ConnectorImportSummary,
  type ConnectorObjectRow,
  type ConnectorReport,
  type NdrApi,
  type RenderedFinding,
} from '../../../main/core/api/contract'
import type { ObjectType, Severity } from '../../../main/core/connectors/types'
import { isLanguage } from '../../../main/core/i18n/languages'
import { DropZone } from './DropZone'
import { call, CallError } from '../api'
import { saveFile } from '../download'
import { formatDateTime, labelValue, listOf } from '../../../main/core/i18n/format'

const OBJECT_TYPES: readonly ObjectType[] = [
  'InboundConnector',
  'OutboundConnector',
  'AcceptedDomain',
]
const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low', 'info']
const SEVERITY_COLOR: Record<Severity, 'danger' | 'warning' | 'informative' | 'subtle'> = {
  high: 'danger',
  medium: 'warning',
  low: 'informative',
  info: 'subtle',
}

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  drop: {
    borderRadius: tokens.borderRadiusLarge,
    outline: '2px dashed transparent',
    outlineOffset: '4px',
  },
  dropActive: { outline: `2px dashed ${tokens.colorBrandStroke1}` },
  finding: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  mono: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    overflowWrap: 'anywhere',
  },
  tableWrap: { overflowX: 'auto', backgroundColor: tokens.colorNeutralBackground1 },
  sortButton: {
    border: 'none',
    background: 'transparent',
    font: 'inherit',
    fontWeight: tokens.fontWeightSemibold,
    cursor: 'pointer',
    padding: 0,
    color: tokens.colorNeutralForeground1,
  },
})

/** Connector and accepted-domain exports: import, stored imports, findings and tables. */
export function ConnectorsPanel(props: {
  api: NdrApi
  caseId?: number
  onError: (e: unknown) => void
}) {
  const styles = useStyles()
  const { t, i18n } = useTranslation()
  const lang = isLanguage(i18n.language) ? i18n.language : 'en'
  const { api, caseId, onError } = props
  const [imports, setImports] = useState<readonly ConnectorImportSummary[]>([])
  const [selected, setSelected] = useState<number | null>(null)
  const [report, setReport] = useState<ConnectorReport | null>(null)
  const [busy, setBusy] = useState(false)
  const [paste, setPaste] = useState('')
  const [confirmDelete, setConfirmDelete] = useState(false)
  const fileInput = useRef<HTMLInputElement>(null)
  const importId = useId('import')

  const refreshList = useCallback(async () => {
    const list = await call(api, 'connectors.list', caseId === undefined ? {} : { caseId })
    setImports(list)
    return list
  }, [api, caseId])

  useEffect(() => {
    let live = true
    call(api, 'connectors.list', caseId === undefined ? {} : { caseId }).then(
      (list) => {
        if (!live) return
        setImports(list)
        if (list[0]) setSelected((s) => s ?? list[0]!.id)
      },
      (e: unknown) => live && onError(e),
    )
    return () => {
      live = false
    }
  }, [api, caseId, onError])

  // The report an import just returned is already the selected one: fetching it again would also
  // drop what only the import's answer says (the exports it replaced).
  const shown = useRef<ConnectorReport | null>(null)

  useEffect(() => {
    if (selected === null) return
    if (shown.current?.id === selected && shown.current.language === lang) return
    let live = true
    call(api, 'connectors.get', { id: selected, language: lang }).then(
      (r) => {
        if (!live) return
        shown.current = r
        setReport(r)
      },
      (e: unknown) => live && onError(e),
    )
    return () => {
      live = false
    }
  }, [api, selected, lang, onError])

  // The import on screen, which new exports join (X2 asks for the missing export "together with
  // the others"); null when there is none yet.
  const current = selected !== null && imports.some((i) => i.id === selected) ? selected : null

  /** `addTo`: the stored import the exports join; the backend checks the limits of the whole. */
  const runImport = async (inputs: { name: string; text: string }[], addTo: number | null) => {
    if (inputs.length === 0) return
    if (!exportsFit(inputs)) {
      onError(new CallError(EXPORTS_TOO_LARGE_ERROR))
      return
    }
    setBusy(true)
    try {
      const r = await call(api, 'connectors.import', {
        ...(caseId === undefined ? {} : { caseId }),
        ...(addTo === null ? {} : { addTo }),
        inputs,
        language: lang,
      })
      shown.current = r
      setReport(r)
      if (r.id > 0) {
        setSelected(r.id)
        setPaste('')
        await refreshList()
      }
    } catch (e) {
      onError(e)
    } finally {
      setBusy(false)
    }
  }

  const pasted = () => [{ name: t('common:connectors.pasteName'), text: paste }]

  /** Removes the import on screen for good, then shows the newest one left (or none). */
  const deleteCurrent = async (id: number) => {
    setBusy(true)
    try {
      await call(api, 'connectors.delete', { id })
      const list = await refreshList()
      shown.current = null
      setReport(null)
      setSelected(list[0]?.id ?? null)
    } catch (e) {
      onError(e)
    } finally {
      setBusy(false)
      setConfirmDelete(false)
    }
  }

  const readFiles = async (files: FileList | File[]) => {
    const list = [...files].slice(0, MAX_EXPORT_FILES + 1)
    // PowerShell 5.1 writes UTF-16 by default; TextDecoder honours a BOM, and the engine sniffs the rest.
    const inputs = await Promise.all(
      list.map(async (f) => ({
        name: f.name,
        text: decodeExport(new Uint8Array(await f.arrayBuffer())),
      })),
    )
    await runImport(inputs, current)
  }

  return (
    <section className={styles.root} aria-labelledby="connectors-heading" data-testid="connectors">
      <Text as="h3" id="connectors-heading" size={500} weight="semibold">
        {t('common:connectors.heading')}
      </Text>
      <Text>
        {caseId === undefined ? t('common:connectors.introNoCase') : t('common:connectors.intro')}
      </Text>
      <DropZone onFiles={(files) => void readFiles(files)}>
        <Field
          label={t('common:connectors.pasteLabel')}
          hint={
            // Two sentences on two lines: joined with a space, Japanese and Chinese text would show
            // a stray blank after 。
            current === null ? (
              t('common:connectors.dropHint')
            ) : (
              <>
                {t('common:connectors.dropHint')}
                <br />
                {t('common:connectors.addHint')}
              </>
            )
          }
        >
          <Textarea
            value={paste}
            onChange={(_e, d) => setPaste(d.value)}
            resize="vertical"
            textarea={{
              spellCheck: false,
              style: { fontFamily: tokens.fontFamilyMonospace, minHeight: 96 },
            }}
            data-testid="connectors-paste"
          />
        </Field>
      </DropZone>
      <div className={styles.row}>
        {current !== null && (
          <Button
            appearance="primary"
            disabled={busy || !paste.trim()}
            onClick={() => void runImport(pasted(), current)}
            data-testid="connectors-add-paste"
          >
            {t('common:connectors.addToImport')}
          </Button>
        )}
        <Button
          appearance={current === null ? 'primary' : 'secondary'}
          disabled={busy || !paste.trim()}
          onClick={() => void runImport(pasted(), null)}
          data-testid="connectors-import-paste"
        >
          {current === null
            ? t('common:connectors.importPaste')
            : t('common:connectors.importSeparately')}
        </Button>
        <Button
          icon={<ArrowUpload20Regular />}
          disabled={busy}
          onClick={() => fileInput.current?.click()}
        >
          {current === null ? t('common:connectors.importFiles') : t('common:connectors.addFiles')}
        </Button>
        {busy && <Spinner size="tiny" />}
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          aria-hidden
          tabIndex={-1}
          accept=".csv,.json,.xml,.clixml,.txt"
          data-testid="connectors-file"
          onChange={(e) => {
            if (e.target.files) void readFiles(e.target.files)
            e.target.value = ''
          }}
        />
        {imports.length > 0 && (
          <>
            <label htmlFor={importId}>{t('common:connectors.previous')}</label>
            <Dropdown
              id={importId}
              value={
                imports.find((i) => i.id === selected)
                  ? importLabel(
                      imports.find((i) => i.id === selected)!,
                      lang,
                    )
                  : ''
              }
              selectedOptions={selected === null ? [] : [String(selected)]}
              onOptionSelect={(_e, d) => {
                if (!d.optionValue) return
                // A pending delete was asked for the import on screen, not for the next one.
                setConfirmDelete(false)
                setSelected(Number(d.optionValue))
              }}
            >
              {imports.map((i) => (
                <Option key={i.id} value={String(i.id)} text={importLabel(i, lang)}>
                  {importLabel(i, lang)}
                </Option>
              ))}
            </Dropdown>
          </>
        )}
        {current !== null && (
          <Button
            appearance="subtle"
            icon={<Delete16Regular />}
            disabled={busy}
            onClick={() => setConfirmDelete(true)}
            data-testid="connectors-delete"
          >
            {t('common:connectors.delete')}
          </Button>
        )}
      </div>
      {confirmDelete && current !== null && (
        <MessageBar intent="warning" data-testid="connectors-delete-confirm">
          <MessageBarBody>{t('common:connectors.deleteConfirm')}</MessageBarBody>
          <MessageBarActions>
            <Button
              appearance="primary"
              disabled={busy}
              onClick={() => void deleteCurrent(current)}
              data-testid="connectors-delete-yes"
            >
              {t('common:connectors.deleteYes')}
            </Button>
            <Button onClick={() => setConfirmDelete(false)}>
              {t('common:connectors.deleteNo')}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {report && <Report report={report} />}
    </section>
  )
}

function importLabel(i: ConnectorImportSummary, lang: string): string {
  return `${formatDateTime(i.createdAt, lang)} · ${i.names.join(', ')}`.slice(0, 120)
}

function decodeExport(bytes: Uint8Array): string {
  const utf16 =
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes.length > 3 && bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0 && bytes[2] !== 0)
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes)
  return new TextDecoder(utf16 ? 'utf-16le' : 'utf-8').decode(bytes)
}

function Report({ report }: { report: ConnectorReport }) {
  const styles = useStyles()
  const { t } = useTranslation()
  const [severity, setSeverity] = useState<Severity | 'all'>('all')
  const [copied, setCopied] = useState(false)
  const sevId = useId('severity')
  const findings = report.findings.filter((f) => severity === 'all' || f.severity === severity)
  return (
    <div className={styles.root} data-testid="connectors-report">
      {report.replaced.length > 0 && (
        <MessageBar intent="info" data-testid="connectors-replaced">
          <MessageBarBody>
            {t('common:connectors.replaced', { names: listOf(t, report.replaced) })}
          </MessageBarBody>
        </MessageBar>
      )}
      {report.inputs.map((i) => (
        <MessageBar
          key={i.name}
          intent={i.errors.length ? 'error' : i.warnings.length ? 'warning' : 'success'}
          data-testid="connectors-input"
        >
          <MessageBarBody>
            <MessageBarTitle>
              {labelValue(
                t,
                i.name,
                t(`audit:format.${i.format}`) +
                  (i.objectCount > 0
                    ? ` · ${t('common:connectors.objects', { count: i.objectCount })} (${listOf(
                        t,
                        i.objectTypes.map((o) => t(`audit:objectType.${o}`)),
                      )})`
                    : ''),
              )}
            </MessageBarTitle>
            {[...i.errors, ...i.warnings].map((m, k) => (
              <div key={k}>{m}</div>
            ))}
          </MessageBarBody>
        </MessageBar>
      ))}
      {report.objects.length > 0 && (
        <>
          <div className={styles.row}>
            <Text as="h4" size={400} weight="semibold">
              {t('common:connectors.findings', { count: report.findings.length })}
            </Text>
            <label htmlFor={sevId}>{t('audit:columns.severity')}</label>
            <Dropdown
              id={sevId}
              value={
                severity === 'all'
                  ? t('common:connectors.allSeverities')
                  : t(`audit:severity.${severity}`)
              }
              selectedOptions={[severity]}
              onOptionSelect={(_e, d) =>
                d.optionValue && setSeverity(d.optionValue as Severity | 'all')
              }
              style={{ minWidth: 120 }}
            >
              <Option value="all">{t('common:connectors.allSeverities')}</Option>
              {SEVERITIES.map((s) => (
                <Option key={s} value={s}>
                  {t(`audit:severity.${s}`)}
                </Option>
              ))}
            </Dropdown>
            <Button
              icon={<Copy16Regular />}
              onClick={() =>
                void navigator.clipboard.writeText(report.summary).then(() => {
                  setCopied(true)
                  setTimeout(() => setCopied(false), 1500)
                })
              }
              data-testid="connectors-copy-summary"
            >
              {copied ? t('common:explain.copied') : t('common:connectors.copySummary')}
            </Button>
            <Button
              icon={<ArrowDownload16Regular />}
              onClick={() =>
                saveFile(report.csv, `connector-findings-${report.id || 'draft'}.csv`, 'text/csv', {
                  bom: true,
                })
              }
              data-testid="connectors-export-csv"
            >
              {t('common:connectors.exportCsv')}
            </Button>
          </div>
          {findings.length === 0 ? (
            <Text>{t('audit:summary.none')}</Text>
          ) : (
            findings.map((f, k) => <FindingCard key={k} f={f} />)
          )}
          {OBJECT_TYPES.map((type) => {
            const rows = report.objects.filter((o) => o.type === type)
            return rows.length ? (
              <ObjectTable key={type} type={type} rows={rows} columns={report.columns[type]} />
            ) : null
          })}
        </>
      )}
    </div>
  )
}

/**
 * What stands between a label and its value in the UI language (": ", French " : ", Traditional
 * Chinese "："): the shared pattern with both sides empty, so the label can be bold.
 */
function labelSeparator(t: (key: string, params: Record<string, string>) => string): string {
  return labelValue(t, '', '')
}

function FindingCard({ f }: { f: RenderedFinding }) {
  const styles = useStyles()
  const { t } = useTranslation()
  return (
    <article className={styles.finding} data-testid="finding">
      <div className={styles.row}>
        <Badge appearance="filled" color={SEVERITY_COLOR[f.severity]}>
          {t(`audit:severity.${f.severity}`)}
        </Badge>
        <Text weight="semibold">{f.title}</Text>
        <Badge appearance="outline">{f.rule}</Badge>
        {f.explainsNdr && (
          <Badge appearance="tint" color="brand" data-testid="finding-explains-ndr">
            {t('audit:summary.explainsNdr')}
          </Badge>
        )}
      </div>
      <Text>{f.message}</Text>
      <Text className={styles.mono}>
        {t(`audit:objectType.${f.objectType}`)} {f.object} · {f.property} = {f.value || '—'}
      </Text>
      <Text size={200}>
        <strong>{t('audit:columns.why')}</strong>
        {labelSeparator(t)}
        {f.why}
      </Text>
      <Text size={200}>
        <strong>{t('audit:columns.fix')}</strong>
        {labelSeparator(t)}
        {f.fix}
      </Text>
    </article>
  )
}

function ObjectTable({
  type,
  rows,
  columns,
}: {
  type: ObjectType
  rows: readonly ConnectorObjectRow[]
  columns: readonly string[]
}) {
  const styles = useStyles()
  const { t } = useTranslation()
  const [sort, setSort] = useState<{ col: string; dir: 1 | -1 }>({ col: 'identity', dir: 1 })
  const [filter, setFilter] = useState('')
  const filterId = useId('filter')
  const sorted = useMemo(() => {
    const q = filter.trim().toLowerCase()
    const value = (r: ConnectorObjectRow) =>
      sort.col === 'identity'
        ? r.identity
        : sort.col === 'findings'
          ? String(r.findings).padStart(4, '0')
          : (r.cells[sort.col] ?? '')
    return rows
      .filter(
        (r) =>
          !q ||
          r.identity.toLowerCase().includes(q) ||
          Object.values(r.cells).some((v) => v.toLowerCase().includes(q)),
      )
      .toSorted((a, b) => value(a).localeCompare(value(b), undefined, { numeric: true }) * sort.dir)
  }, [rows, sort, filter])
  const header = (col: string, label: string) => (
    <TableHeaderCell
      key={col}
      aria-sort={sort.col === col ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
    >
      <button
        type="button"
        className={styles.sortButton}
        onClick={() => setSort((s) => ({ col, dir: s.col === col ? (-s.dir as 1 | -1) : 1 }))}
      >
        {label}
        {sort.col === col ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
      </button>
    </TableHeaderCell>
  )
  return (
    <section aria-labelledby={`${type}-heading`} data-testid={`table-${type}`}>
      <div className={styles.row}>
        <Text as="h4" id={`${type}-heading`} size={400} weight="semibold">
          {t(`audit:objectType.${type}`)} ({rows.length})
        </Text>
        <label htmlFor={filterId} className="visually-hidden">
          {t('common:connectors.filter')}
        </label>
        <Input
          id={filterId}
          size="small"
          placeholder={t('common:connectors.filter')}
          value={filter}
          onChange={(_e, d) => setFilter(d.value)}
        />
      </div>
      <div className={styles.tableWrap}>
        <Table
          size="extra-small"
          style={{ tableLayout: 'auto' }}
          aria-labelledby={`${type}-heading`}
        >
          <TableHeader>
            <TableRow>
              {header('identity', t('audit:columns.object'))}
              {header('findings', t('common:connectors.findingsColumn'))}
              {columns.map((c) => header(c, c))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {sorted.map((r) => (
              <TableRow key={`${r.input}-${r.identity}`} data-testid="object-row">
                <TableCell className={styles.mono}>{r.identity}</TableCell>
                <TableCell>
                  {r.findings > 0 && r.worst ? (
                    <Badge appearance="filled" color={SEVERITY_COLOR[r.worst]}>
                      {r.findings}
                    </Badge>
                  ) : (
                    '—'
                  )}
                </TableCell>
                {columns.map((c) => (
                  <TableCell key={c} className={styles.mono}>
                    {r.cells[c] || '—'}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </section>
  )
}
