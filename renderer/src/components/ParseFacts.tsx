import {
  Badge,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components'
import { useTranslation } from 'react-i18next'
import type { BounceResult, ParseOutcome, RecipientResult } from '../../../main/core/parse/types'
import { badgeColor } from './CaseList'

const useStyles = makeStyles({
  message: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusLarge,
  },
  badges: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
    alignItems: 'center',
  },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalXL,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
    '& dt': { color: tokens.colorNeutralForeground3 },
    '& dd': { margin: 0, overflowWrap: 'anywhere' },
  },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  code: { fontFamily: tokens.fontFamilyMonospace, fontWeight: tokens.fontWeightSemibold },
  diagnostic: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    overflowWrap: 'anywhere',
  },
  tableWrap: { overflowX: 'auto' },
})

/** The facts the engine found, per message and per recipient, with the codes highlighted. */
export function ParseFacts({ parse }: { parse: ParseOutcome }) {
  const { t } = useTranslation()
  if (!parse.ok) {
    return (
      <MessageBar intent="error">
        <MessageBarBody>
          {t(`parse:errors.${parse.error.code}`, { ...parse.error.params })}
        </MessageBarBody>
      </MessageBar>
    )
  }
  return (
    <>
      {parse.messages.map((m, i) => (
        <MessageFacts key={i} message={m} index={i} count={parse.messages.length} />
      ))}
    </>
  )
}

function MessageFacts({
  message: m,
  index,
  count,
}: {
  message: BounceResult
  index: number
  count: number
}) {
  const styles = useStyles()
  const { t, i18n } = useTranslation()
  const facts: [string, string | undefined, boolean?][] = [
    ['sender', m.sender, true],
    ['senderDomain', m.senderDomain, true],
    ['originalSubject', m.originalSubject],
    ['originalDate', m.originalDate],
    ['originalMessageId', m.originalMessageId, true],
    ['reportingMta', m.reportingMta, true],
    ['generatingServer', m.generatingServer, true],
    ['receivedFromMta', m.receivedFromMta, true],
    ['language', m.language && languageName(m.language, i18n.language)],
  ]
  const auth = (['spf', 'dkim', 'dmarc', 'compauth'] as const).filter(
    (k) => m.auth[k] !== undefined,
  )
  return (
    <section
      className={styles.message}
      data-testid="parsed-message"
      aria-label={count > 1 ? `${t('parse:fields.index')} ${index + 1}` : undefined}
    >
      <div className={styles.badges}>
        <Badge
          appearance="filled"
          color={m.kind === 'ndr' ? 'danger' : m.kind === 'delay' ? 'warning' : 'informative'}
          data-testid="parsed-kind"
        >
          {t(`parse:kinds.${m.kind}`)}
        </Badge>
        {m.notNdrReason && (
          <Badge appearance="tint">{t(`parse:notNdrReasons.${m.notNdrReason}`)}</Badge>
        )}
        <Badge appearance="tint" color="brand" data-testid="parsed-system">
          {t(`parse:systems.${m.system}`)}
        </Badge>
        <Badge appearance="outline">{t(`parse:layouts.${m.layout}`)}</Badge>
        <Badge appearance="outline">{t(`parse:categories.${m.category}`)}</Badge>
        {count > 1 && (
          <Text size={200}>
            {t('parse:fields.index')} {index + 1}/{count}
          </Text>
        )}
      </div>
      {m.warnings.length > 0 && (
        <MessageBar intent="warning">
          <MessageBarBody>
            <ul style={{ margin: 0, paddingInlineStart: 16 }}>
              {m.warnings.map((w, i) => (
                <li key={i}>{t(`parse:warnings.${w.code}`, { ...w.params })}</li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      <dl className={styles.facts}>
        {facts
          .filter(([, v]) => v)
          .map(([k, v, mono]) => (
            <FactRow key={k} label={t(`parse:fields.${k}`)} value={v!} mono={mono ?? false} />
          ))}
        {auth.length > 0 && (
          <>
            <dt>{t('parse:fields.auth')}</dt>
            <dd className={styles.mono}>
              {auth.map((k) => `${t(`parse:fields.${k}`)}=${m.auth[k]}`).join('  ')}
            </dd>
          </>
        )}
      </dl>
      {m.recipients.length > 0 && <Recipients recipients={m.recipients} />}
    </section>
  )
}

/** "Japanese (ja)" in the UI language: the parser reports a BCP 47 tag, which users do not read. */
function languageName(tag: string, uiLanguage: string): string {
  try {
    const name = new Intl.DisplayNames([uiLanguage], { type: 'language' }).of(tag)
    return name && name !== tag ? `${name} (${tag})` : tag
  } catch {
    return tag
  }
}

function FactRow({ label, value, mono }: { label: string; value: string; mono: boolean }) {
  const styles = useStyles()
  return (
    <>
      <dt>{label}</dt>
      <dd className={mono ? styles.mono : undefined}>{value}</dd>
    </>
  )
}

function Recipients({ recipients }: { recipients: readonly RecipientResult[] }) {
  const styles = useStyles()
  const { t } = useTranslation()
  return (
    <div className={styles.tableWrap}>
      <Table
        size="small"
        style={{ tableLayout: 'auto' }}
        aria-label={t('parse:fields.recipients')}
        data-testid="recipients"
      >
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{t('parse:fields.recipient')}</TableHeaderCell>
            <TableHeaderCell>{t('parse:fields.status')}</TableHeaderCell>
            <TableHeaderCell>{t('parse:fields.replyCode')}</TableHeaderCell>
            <TableHeaderCell>{t('parse:fields.category')}</TableHeaderCell>
            <TableHeaderCell>{t('parse:fields.remoteMta')}</TableHeaderCell>
            <TableHeaderCell>{t('parse:fields.diagnostic')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {recipients.map((r, i) => (
            <TableRow key={i} data-testid="recipient-row">
              <TableCell className={styles.mono}>{r.address ?? '—'}</TableCell>
              <TableCell>
                {r.status ? (
                  <Badge
                    appearance="filled"
                    color={badgeColor(r.status)}
                    className={styles.code}
                    data-testid="recipient-status"
                  >
                    {r.status}
                  </Badge>
                ) : (
                  '—'
                )}
              </TableCell>
              <TableCell className={styles.code}>{r.replyCode ?? '—'}</TableCell>
              <TableCell>{t(`parse:categories.${r.category}`)}</TableCell>
              <TableCell className={styles.mono}>{r.remoteMta ?? '—'}</TableCell>
              <TableCell className={styles.diagnostic}>{r.diagnostic ?? '—'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  )
}
