import { useCallback, useEffect, useState } from 'react'
import {
  Badge,
  Button,
  Checkbox,
  Dropdown,
  Field,
  Link,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Select,
  Textarea,
  ProgressBar,
  Spinner,
  Text,
  tokens,
  useId,
} from '@fluentui/react-components'
import { Copy16Regular, Open16Regular } from '@fluentui/react-icons'
import { useTranslation } from 'react-i18next'
import {
  FIELD_LIMITS,
  nothingToExplainKey,
  type CaseExplanation,
  type CaseStep,
  type ExplainedRecipient,
  type NdrApi,
  type StepState,
} from '../../../main/core/api/contract'
import { isAllowedExternalUrl } from '../../../main/core/api/external-links'
import {
  LANGUAGE_NAMES,
  LANGUAGES,
  isLanguage,
  type Language,
} from '../../../main/core/i18n/languages'
import { call } from '../api'
import { formatDateTime } from '../../../main/core/i18n/format'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    flexWrap: 'wrap',
  },
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusLarge,
  },
  titleRow: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    flexWrap: 'wrap',
  },
  code: { fontFamily: tokens.fontFamilyMonospace },
  steps: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  detail: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    marginInlineStart: '32px',
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    overflowWrap: 'anywhere',
  },
  detailText: { flexGrow: 1 },
  stepLine: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: tokens.spacingHorizontalS,
    flexWrap: 'wrap',
  },
  noteRow: {
    display: 'flex',
    gap: tokens.spacingHorizontalS,
    alignItems: 'flex-end',
    marginInlineStart: '32px',
  },
  note: {
    display: 'block',
    marginInlineStart: '32px',
    whiteSpace: 'pre-wrap',
    fontStyle: 'italic',
  },
  stamp: { display: 'block', marginInlineStart: '32px', color: tokens.colorNeutralForeground3 },
  endUser: {
    whiteSpace: 'pre-wrap',
    padding: tokens.spacingHorizontalM,
    borderLeftWidth: '4px',
    borderLeftStyle: 'solid',
    borderLeftColor: tokens.colorBrandStroke1,
    backgroundColor: tokens.colorNeutralBackground2,
  },
})

/** The explanation of each bounced recipient, in a language the user picks (default: the UI's). */
export function Explanation(props: { api: NdrApi; caseId: number; onError: (e: unknown) => void }) {
  const styles = useStyles()
  const { t, i18n } = useTranslation()
  const uiLang: Language = isLanguage(i18n.language) ? i18n.language : 'en'
  const [picked, setPicked] = useState<Language | null>(null)
  const lang = picked ?? uiLang
  const [data, setData] = useState<CaseExplanation | null>(null)
  const langId = useId('explain-lang')
  const { api, caseId, onError } = props

  const [steps, setSteps] = useState<ReadonlyMap<string, CaseStep>>(new Map())
  useEffect(() => {
    let live = true
    call(api, 'cases.steps', { id: caseId }).then(
      (list) => live && setSteps(new Map(list.map((st) => [st.key, st]))),
      (e: unknown) => live && onError(e),
    )
    return () => {
      live = false
    }
  }, [api, caseId, onError])

  const saveStep = useCallback(
    async (key: string, state: StepState, note?: string) => {
      try {
        const saved = await call(
          api,
          'cases.setStep',
          note === undefined ? { id: caseId, key, state } : { id: caseId, key, state, note },
        )
        setSteps((prev) => new Map(prev).set(saved.key, saved))
      } catch (e) {
        onError(e)
      }
    },
    [api, caseId, onError],
  )

  useEffect(() => {
    let live = true
    call(api, 'cases.explain', { id: caseId, language: lang }).then(
      (d) => live && setData(d),
      (e: unknown) => live && onError(e),
    )
    return () => {
      live = false
    }
  }, [api, caseId, lang, onError])

  if (!data) return <Spinner size="small" label={t('common:actions.loading')} />
  // Read, but nothing bounced (an auto-reply, ordinary mail, random bytes read as text): say so
  // rather than leave the tab blank; the details tab shows what was found.
  if (data.items.length === 0)
    return <Text data-testid="no-explanation">{t(nothingToExplainKey(data.notBounce))}</Text>
  return (
    <section className={styles.root} aria-labelledby="explain-heading" data-testid="explanation">
      <div className={styles.toolbar}>
        <Text as="h3" id="explain-heading" size={500} weight="semibold">
          {t('common:explain.heading')}
        </Text>
        <label htmlFor={langId}>{t('common:explain.language')}</label>
        <Dropdown
          id={langId}
          data-testid="explain-language"
          value={LANGUAGE_NAMES[lang]}
          selectedOptions={[lang]}
          onOptionSelect={(_e, d) => isLanguage(d.optionValue) && setPicked(d.optionValue)}
          style={{ minWidth: 140 }}
        >
          {LANGUAGES.map((l) => (
            <Option key={l} value={l} lang={l} data-testid={`explain-language-${l}`}>
              {LANGUAGE_NAMES[l]}
            </Option>
          ))}
        </Dropdown>
      </div>
      <div lang={data.language} className={styles.root}>
        {data.items.map((item) => (
          <ExplainedCard
            key={`${item.messageIndex}-${item.recipientIndex}`}
            item={item}
            steps={steps}
            onStep={saveStep}
            {...props}
          />
        ))}
      </div>
    </section>
  )
}

function ExplainedCard({
  item,
  api,
  caseId,
  steps,
  onStep,
}: {
  item: ExplainedRecipient
  api: NdrApi
  caseId: number
  steps: ReadonlyMap<string, CaseStep>
  onStep: (key: string, state: StepState, note?: string) => Promise<void>
}) {
  const styles = useStyles()
  const { t } = useTranslation()
  const e = item.explanation
  const keyOf = (id: string) => `${item.messageIndex}:${item.recipientIndex}:${id}`
  const finished = e.steps.filter((st) => {
    const state = steps.get(keyOf(st.id))?.state
    return state !== undefined && state !== 'todo'
  }).length

  return (
    <article className={styles.card} data-testid="explained-recipient">
      <div className={styles.titleRow}>
        <Text as="h4" size={400} weight="semibold" data-testid="explanation-title">
          {e.title}
        </Text>
        {e.code && (
          <Badge appearance="tint" className={styles.code}>
            {e.code}
          </Badge>
        )}
        <Badge
          appearance="outline"
          color={e.source === 'catalogue' ? 'brand' : 'informative'}
          data-testid="explanation-source"
        >
          {t(`common:explain.source.${e.source}`)}
        </Badge>
        {item.address && <Text className={styles.code}>{item.address}</Text>}
      </div>
      <MessageBar intent="info" data-testid="who-acts">
        <MessageBarBody>
          <MessageBarTitle>{t('common:explain.whoActs')}</MessageBarTitle>
          {e.whoActs.map((w) => w.label).join(' · ')}
        </MessageBarBody>
      </MessageBar>
      <Text>{e.summary}</Text>
      <div>
        <Text weight="semibold">{t('common:explain.why')}</Text>
        <Text as="p" block>
          {e.why}
        </Text>
      </div>
      <div>
        <Text weight="semibold">{t('common:explain.steps')}</Text>
        <ProgressBar
          value={e.steps.length ? finished / e.steps.length : 0}
          aria-label={t('common:explain.progress', { done: finished, total: e.steps.length })}
          style={{ margin: '6px 0' }}
        />
        <Text size={200}>
          {t('common:explain.progress', { done: finished, total: e.steps.length })}
        </Text>
        <ol className={styles.steps} data-testid="steps">
          {e.steps.map((st, i) => (
            <StepRow
              key={st.id}
              index={i}
              text={st.text}
              detail={st.detail}
              saved={steps.get(keyOf(st.id))}
              onChange={(state, note) => onStep(keyOf(st.id), state, note)}
            />
          ))}
        </ol>
      </div>
      <EndUserMessage api={api} caseId={caseId} item={item} />
      {e.learnMore && isAllowedExternalUrl(e.learnMore) && (
        <Link href={e.learnMore} target="_blank" rel="noopener noreferrer">
          <Open16Regular aria-hidden /> {t('common:explain.learnMore')}
        </Link>
      )}
    </article>
  )
}

function StepDetailRow({ kind, value }: { kind: string; value: string }) {
  const styles = useStyles()
  const { t } = useTranslation()
  return (
    <div className={styles.detail} data-testid="step-detail">
      <Badge appearance="tint" size="small" style={{ flexShrink: 0, whiteSpace: 'nowrap' }}>
        {t(`common:explain.detail.${kind}`)}
      </Badge>
      <code className={styles.detailText}>{value}</code>
      <CopyButton text={value} />
    </div>
  )
}

function CopyButton({ text, label }: { text: string; label?: string }) {
  const { t } = useTranslation()
  const [copied, setCopied] = useState(false)
  return (
    <Button
      size="small"
      appearance="subtle"
      icon={<Copy16Regular />}
      style={{ flexShrink: 0, whiteSpace: 'nowrap' }}
      onClick={() => {
        void navigator.clipboard.writeText(text).then(() => {
          setCopied(true)
          setTimeout(() => setCopied(false), 1500)
        })
      }}
    >
      {copied ? t('common:explain.copied') : (label ?? t('common:explain.copy'))}
    </Button>
  )
}

/** What to tell the user, copyable in any of the five languages whatever the view's language. */
function EndUserMessage({
  api,
  caseId,
  item,
}: {
  api: NdrApi
  caseId: number
  item: ExplainedRecipient
}) {
  const styles = useStyles()
  const { t } = useTranslation()
  const [copyLang, setCopyLang] = useState<Language | null>(null)
  const [copied, setCopied] = useState(false)
  const id = useId('copy-lang')
  const copyIn = async (l: Language) => {
    setCopyLang(l)
    const other = await call(api, 'cases.explain', { id: caseId, language: l })
    const match = other.items.find(
      (o) => o.messageIndex === item.messageIndex && o.recipientIndex === item.recipientIndex,
    )
    if (match) {
      await navigator.clipboard.writeText(match.explanation.endUserMessage)
      setCopied(true)
      setTimeout(() => setCopied(false), 1500)
    }
  }
  return (
    <div>
      <Text weight="semibold">{t('common:explain.endUser')}</Text>
      <p className={styles.endUser} data-testid="end-user-message">
        {item.explanation.endUserMessage}
      </p>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
        <CopyButton text={item.explanation.endUserMessage} />
        <label htmlFor={id}>{t('common:explain.copyIn')}</label>
        <Dropdown
          id={id}
          placeholder={t('common:explain.copyInPlaceholder')}
          value={copyLang ? LANGUAGE_NAMES[copyLang] : ''}
          selectedOptions={copyLang ? [copyLang] : []}
          onOptionSelect={(_e, d) => isLanguage(d.optionValue) && void copyIn(d.optionValue)}
          style={{ minWidth: 140 }}
          data-testid="copy-in-language"
        >
          {LANGUAGES.map((l) => (
            <Option key={l} value={l} lang={l}>
              {LANGUAGE_NAMES[l]}
            </Option>
          ))}
        </Dropdown>
        {copied && <Text size={200}>{t('common:explain.copied')}</Text>}
      </div>
    </div>
  )
}

const STATES: readonly StepState[] = ['todo', 'done', 'skipped', 'na']

/** One checklist step: done with a tick, skipped or not applicable from the list, and a note. */
function StepRow(props: {
  index: number
  text: string
  detail: ExplainedRecipient['explanation']['steps'][number]['detail']
  saved: CaseStep | undefined
  onChange: (state: StepState, note?: string) => Promise<void>
}) {
  const styles = useStyles()
  const { t, i18n } = useTranslation()
  const state = props.saved?.state ?? 'todo'
  const [note, setNote] = useState(props.saved?.note ?? '')
  const [editing, setEditing] = useState(false)
  const selectId = useId('step-state')
  return (
    <li data-testid="step-row" data-state={state}>
      <div className={styles.stepLine}>
        <Checkbox
          checked={state === 'done'}
          onChange={(_ev, d) => void props.onChange(d.checked === true ? 'done' : 'todo')}
          label={`${props.index + 1}. ${props.text}`}
          data-testid="step"
        />
        <label htmlFor={selectId} className="visually-hidden">
          {t('common:track.stepState')}
        </label>
        <Select
          id={selectId}
          size="small"
          value={state}
          onChange={(_ev, d) => void props.onChange(d.value as StepState)}
          data-testid="step-state"
        >
          {STATES.map((s) => (
            <option key={s} value={s}>
              {t(`common:track.state.${s}`)}
            </option>
          ))}
        </Select>
        <Button
          size="small"
          appearance="subtle"
          onClick={() => setEditing((v) => !v)}
          data-testid="step-note-toggle"
        >
          {props.saved?.note ? t('common:track.editNote') : t('common:track.addNote')}
        </Button>
      </div>
      {props.detail && <StepDetailRow kind={props.detail.kind} value={props.detail.value} />}
      {editing && (
        <div className={styles.noteRow}>
          <Field
            hint={
              // Counted only near the limit, where it starts to matter.
              note.length > FIELD_LIMITS.note * 0.9
                ? t('common:track.noteLength', { n: note.length, max: FIELD_LIMITS.note })
                : null
            }
          >
            <Textarea
              aria-label={t('common:track.note')}
              value={note}
              maxLength={FIELD_LIMITS.note}
              onChange={(_ev, d) => setNote(d.value)}
              resize="vertical"
              data-testid="step-note"
            />
          </Field>
          <Button
            size="small"
            appearance="primary"
            onClick={() => void props.onChange(state, note).then(() => setEditing(false))}
            data-testid="step-note-save"
          >
            {t('common:track.saveNote')}
          </Button>
        </div>
      )}
      {props.saved?.note && !editing && <Text className={styles.note}>{props.saved.note}</Text>}
      {props.saved && (
        <Text size={200} className={styles.stamp} data-testid="step-stamp">
          {t('common:track.stamp', {
            by: props.saved.updatedBy,
            at: formatDateTime(props.saved.updatedAt, i18n.language),
          })}
        </Text>
      )}
    </li>
  )
}
