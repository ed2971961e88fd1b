import {
  Badge,
  makeStyles,
  SearchBox,
  Tab,
  TabList,
  Text,
  tokens,
  mergeClasses,
} from '@fluentui/react-components'
import { useTranslation } from 'react-i18next'
import type { CaseSummary } from '../../../main/core/api/contract'
import { formatDateTime } from '../format'

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, overflowY: 'auto', flexGrow: 1 },
  item: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: tokens.spacingHorizontalS,
    rowGap: '2px',
    width: '100%',
    textAlign: 'start',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
    border: 'none',
    borderRadius: tokens.borderRadiusMedium,
    background: 'transparent',
    color: tokens.colorNeutralForeground1,
    cursor: 'pointer',
    font: 'inherit',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}` },
  },
  selected: { backgroundColor: tokens.colorNeutralBackground1Selected },
  title: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  date: { gridColumn: '2', color: tokens.colorNeutralForeground3 },
  empty: { color: tokens.colorNeutralForeground3, padding: tokens.spacingVerticalM },
})

export type CaseFilter = 'all' | 'open' | 'resolved' | 'trash'
const FILTERS: readonly CaseFilter[] = ['all', 'open', 'resolved', 'trash']

export function CaseList(props: {
  cases: readonly CaseSummary[]
  query: string
  onQuery: (q: string) => void
  filter: CaseFilter
  onFilter: (f: CaseFilter) => void
  selectedId: number | null
  onSelect: (id: number) => void
}) {
  const styles = useStyles()
  const { t, i18n } = useTranslation()
  return (
    <>
      <SearchBox
        placeholder={t('common:cases.search')}
        aria-label={t('common:cases.search')}
        value={props.query}
        onChange={(_e, d) => props.onQuery(d.value)}
        data-testid="case-search"
      />
      <Text as="h2" weight="semibold" size={300}>
        {t('common:cases.heading')}
      </Text>
      <TabList
        size="small"
        selectedValue={props.filter}
        onTabSelect={(_e, d) => props.onFilter(d.value as CaseFilter)}
        aria-label={t('common:cases.filter')}
      >
        {FILTERS.map((f) => (
          <Tab key={f} value={f} data-testid={`case-filter-${f}`}>
            {t(`common:cases.filters.${f}`)}
          </Tab>
        ))}
      </TabList>
      {props.cases.length === 0 ? (
        <Text className={styles.empty} data-testid="case-list-empty">
          {props.query ? t('common:cases.noMatch') : t('common:cases.empty')}
        </Text>
      ) : (
        <ul className={styles.list} data-testid="case-list">
          {props.cases.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                className={mergeClasses(styles.item, c.id === props.selectedId && styles.selected)}
                aria-current={c.id === props.selectedId ? 'true' : undefined}
                onClick={() => props.onSelect(c.id)}
                data-testid="case-item"
              >
                <Badge appearance="tint" color={badgeColor(c.status)} shape="rounded">
                  {c.status ?? t('common:cases.noCode')}
                </Badge>
                <span className={styles.title}>{c.title || t('common:cases.untitled')}</span>
                <Text size={200} className={styles.date}>
                  {formatDateTime(c.createdAt, i18n.language)}
                </Text>
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

/** RFC 3463 class: 5 permanent failure (red), 4 persistent transient (amber), 2 success. */
export function badgeColor(
  status: string | null,
): 'danger' | 'warning' | 'success' | 'informative' {
  if (status?.startsWith('5.')) return 'danger'
  if (status?.startsWith('4.')) return 'warning'
  if (status?.startsWith('2.')) return 'success'
  return 'informative'
}
