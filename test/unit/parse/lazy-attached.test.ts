// Attached messages are walked lazily (main/core/parse/mime.ts walkMime/expandMessage): the bounce
// reads the returned original's headers, and its body only when the bounce was forwarded. These
// tests pin what that must not change (forwarded bounces at any depth are still found) and what it
// changes on purpose (a hostile returned original no longer makes the bounce itself unreadable).
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { parseBounce, parseMessage } from '../../../main/core/parse/index'
import { expandMessage, walkMime } from '../../../main/core/parse/mime'
import type { BounceResult } from '../../../main/core/parse/types'

const CORPUS = '../shared/corpus/microsoft/'

function one(input: string | Uint8Array): BounceResult {
  const o = parseBounce(input)
  if (!o.ok) throw new Error(`parse failed: ${o.error.code}`)
  expect(o.messages).toHaveLength(1)
  return o.messages[0]!
}

/** A DSN returning an original whose body is `originalBody` (a multipart with `boundary`). */
function dsnReturning(originalHeaders: string, originalBody: string): string {
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.contoso.com>',
    'To: sender@contoso.com',
    'Subject: Undelivered Mail Returned to Sender',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
    '',
    '--r',
    'Content-Type: text/plain',
    '',
    '<nobody@fabrikam.example>: host mx.fabrikam.example said: 550 5.1.1 User unknown',
    '--r',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.contoso.com',
    '',
    'Final-Recipient: rfc822; nobody@fabrikam.example',
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
    '--r',
    'Content-Type: message/rfc822',
    '',
    originalHeaders,
    '',
    originalBody,
    '--r--',
    '',
  ].join('\n')
}

/** Wraps a message as the attachment of a forwarding mail. */
function forwarded(inner: string, n: number): string {
  return [
    `From: helpdesk${n}@contoso.com`,
    'To: admin@contoso.com',
    `Subject: FW: look at this (${n})`,
    `Content-Type: multipart/mixed; boundary="fw${n}"`,
    '',
    `--fw${n}`,
    'Content-Type: text/plain',
    '',
    'See attached.',
    `--fw${n}`,
    'Content-Type: message/rfc822',
    '',
    inner,
    `--fw${n}--`,
    '',
  ].join('\n')
}

const BOMB_PARTS = 100_000
const bombBody = '--b\n\nx\n'.repeat(BOMB_PARTS) + '--b--\n'
const bombHeaders =
  'From: sender@contoso.com\nSubject: Quarterly report\nMessage-ID: <q1@contoso.com>\n' +
  'Content-Type: multipart/mixed; boundary=b'

describe('lazily walked attached messages', () => {
  test('walkMime leaves an attached body pending; expandMessage walks it once', () => {
    const raw = dsnReturning(
      'From: sender@contoso.com\nSubject: Hi\nContent-Type: multipart/alternative; boundary=a',
      '--a\nContent-Type: text/plain\n\nhello\n--a\nContent-Type: text/html\n\n<p>hello</p>\n--a--\n',
    )
    const src = { s: raw, unicode: true }
    const w = walkMime(src)
    expect(w.ok).toBe(true)
    if (!w.ok) return
    const original = w.root.attached[0]!
    expect(original.headers.find(([n]) => n === 'subject')?.[1]).toBe('Hi')
    expect(original.pending).toBeDefined()
    expect(original.leaves).toHaveLength(0)
    expect(expandMessage(src, original)).toBe(true)
    expect(original.pending).toBeUndefined()
    expect(original.leaves.map((l) => l.ct.type)).toEqual(['text/plain', 'text/html'])
    // A second call changes nothing.
    expect(expandMessage(src, original)).toBe(true)
    expect(original.leaves).toHaveLength(2)
  })

  test(`a returned original of ${BOMB_PARTS.toLocaleString('en')} parts does not hide the bounce`, () => {
    const t0 = performance.now()
    const r = one(dsnReturning(bombHeaders, bombBody))
    const ms = performance.now() - t0
    expect(r.kind).toBe('ndr')
    expect(r.recipients[0]).toMatchObject({ address: 'nobody@fabrikam.example', status: '5.1.1' })
    expect(r.originalSubject).toBe('Quarterly report')
    expect(r.originalMessageId).toBe('<q1@contoso.com>')
    // Only the headers of the original were read: well under the 250 ms hostile-input bound.
    expect(ms).toBeLessThan(250)
  })

  test('the same bomb at the top of a message is still refused (caps unchanged there)', () => {
    const o = parseBounce(`${bombHeaders}\n\n${bombBody}`)
    expect(o.ok ? 'ok' : o.error.code).toBe('tooManyParts')
  })

  test('a bounce forwarded once, twice and three times is still found', () => {
    let msg = dsnReturning('From: sender@contoso.com\nSubject: Hi', 'hello\n')
    for (let n = 1; n <= 3; n++) {
      msg = forwarded(msg, n)
      const r = one(msg)
      expect(r.kind).toBe('ndr')
      expect(r.recipients[0]?.status).toBe('5.1.1')
      expect(r.warnings.map((w) => w.code)).toContain('forwarded')
    }
  })

  test('a forwarded attachment whose body breaks the caps is skipped, not fatal', () => {
    const msg = forwarded(`${bombHeaders}\n\n${bombBody}`, 1)
    const r = one(msg)
    expect(r.kind).toBe('not-ndr')
    expect(r.notNdrReason).toBe('ordinary')
  })

  test('real Office 365 bounces keep every fact of their returned original', () => {
    // lhost-office365-07 returns a multipart/alternative original (corpus, sisimai set).
    const bytes = new Uint8Array(readFileSync(`${CORPUS}lhost-office365-07.eml`))
    const o = parseMessage(bytes)
    expect(o.ok).toBe(true)
    if (!o.ok) return
    const r = o.messages[0]!
    expect(r.kind).toBe('ndr')
    expect(r.originalSubject).toBeTruthy()
    expect(r.originalMessageId).toBeTruthy()
  })
})
