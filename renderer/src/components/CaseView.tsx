import { useEffect, useState } from 'react'
import { Badge, makeStyles, Spinner, Tab, TabList, Text, tokens } from '@fluentui/react-components'
import { useTranslation } from 'react-i18next'
import type { CaseDetail, NdrApi } from '../../../main/core/api/contract'
import { call } from '../api'
import { formatDateTime } from '../format'
import { badgeColor } from './CaseList'
import { ConnectorsPanel } from './ConnectorsPanel'
import { Explanation } from './Explanation'
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
})

type CaseTab = 'explanation' | 'details' | 'connectors'

/** Keyed by case id by its parent, so a new case starts from a clean state. */
export function CaseView(props: { api: NdrApi; id: number; onError: (e: unknown) => void }) {
  const styles = useStyles()
  const { t, i18n } = useTranslation()
  const [detail, setDetail] = useState<CaseDetail | null>(null)
  const [tab, setTab] = useState<CaseTab>('explanation')
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
          <Text>{t('common:case.noExplanation')}</Text>
        ))}
      {tab === 'details' && (
        <>
          {detail.parse && <ParseFacts parse={detail.parse} />}
          <section aria-labelledby="source-heading">
            <Text as="h3" id="source-heading" size={400} weight="semibold">
              {t('common:case.source')}
            </Text>
            {/* Shown as text, never as HTML: the NDR is untrusted input. */}
            <pre className={styles.source} tabIndex={0} data-testid="case-source">
              {detail.binarySize === null
                ? detail.text
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
