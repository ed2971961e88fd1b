import {
  Badge,
  Button,
  Dropdown,
  Field,
  Input,
  Option,
  makeStyles,
  SearchBox,
  Tab,
  TabList,
  Text,
  tokens,
  mergeClasses,
} from '@fluentui/react-components'
import { useTranslation } from 'react-i18next'
import {
  FIRST_DAY,
  LAST_DAY,
  NO_HISTORY_FILTER,
  type HistoryFilter,
} from '../../../main/core/api/history-filter'
import { useEffect, useState } from 'react'
import { Filter16Regular } from '@fluentui/react-icons'
import { MAX_QUERY_CHARS, type CaseSummary, type NdrApi } from '../../../main/core/api/contract'
import { call } from '../api'
import { formatDateTime } from '../../../main/core/i18n/format'

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

function HistoryFilters(props: {
  api: NdrApi
  value: HistoryFilter
  onChange: (h: HistoryFilter) => void
}) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [domains, setDomains] = useState<readonly string[]>([])
  const { api } = props
  useEffect(() => {
    if (!open) return
    let live = true
    call(api, 'cases.senderDomains', {}).then(
      (d) => live && setDomains(d),
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [api, open])
  const v = props.value
  const active = v.code || v.senderDomain || v.from || v.to
  const set = (patch: Partial<HistoryFilter>) => props.onChange({ ...v, ...patch })
  return (
    <div>
      <Button
        size="small"
        appearance={active ? 'primary' : 'subtle'}
        icon={<Filter16Regular />}
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        data-testid="history-filters-toggle"
      >
        {t('common:cases.moreFilters')}
      </Button>
      {open && (
        <div style={{ display: 'grid', gap: 6, marginTop: 6 }}>
          <Field label={t('common:cases.filterCode')} size="small">
            <Input
              size="small"
              placeholder="5.7"
              value={v.code}
              onChange={(_e, d) => set({ code: d.value })}
              data-testid="filter-code"
            />
          </Field>
          <Field label={t('common:cases.filterDomain')} size="small">
            <Dropdown
              size="small"
              value={v.senderDomain || t('common:cases.anyDomain')}
              selectedOptions={[v.senderDomain]}
              onOptionSelect={(_e, d) => set({ senderDomain: d.optionValue ?? '' })}
              data-testid="filter-domain"
            >
              <Option value="">{t('common:cases.anyDomain')}</Option>
              {domains.map((d) => (
                <Option key={d} value={d}>
                  {d}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Field label={t('common:cases.filterFrom')} size="small">
            <Input
              size="small"
              type="date"
              value={v.from}
              min={FIRST_DAY}
              max={LAST_DAY}
              onChange={(_e, d) => set({ from: d.value })}
              data-testid="filter-from"
            />
          </Field>
          <Field label={t('common:cases.filterTo')} size="small">
            <Input
              size="small"
              type="date"
              value={v.to}
              min={FIRST_DAY}
              max={LAST_DAY}
              onChange={(_e, d) => set({ to: d.value })}
              data-testid="filter-to"
            />
          </Field>
          {active && (
            <Button size="small" onClick={() => props.onChange(NO_HISTORY_FILTER)}>
              {t('common:cases.clearFilters')}
            </Button>
          )}
        </div>
      )}
    </div>
  )
}

export type CaseFilter = 'all' | 'open' | 'resolved' | 'trash'
const FILTERS: readonly CaseFilter[] = ['all', 'open', 'resolved', 'trash']

export function CaseList(props: {
  cases: readonly CaseSummary[]
  query: string
  onQuery: (q: string) => void
  filter: CaseFilter
  onFilter: (f: CaseFilter) => void
  history: HistoryFilter
  onHistory: (h: HistoryFilter) => void
  api: NdrApi
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
        maxLength={MAX_QUERY_CHARS}
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
      <HistoryFilters api={props.api} value={props.history} onChange={props.onHistory} />
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
