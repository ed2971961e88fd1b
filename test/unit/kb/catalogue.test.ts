// Every code of domain brief §1 (tables 1.1–1.11) must resolve to a specific catalogue entry, the
// text must decide where one code means several things, and anything else must still get an answer.
import { describe, expect, it } from 'vitest'
import { CATALOGUE, explain, findCode, rankEntries } from '../../../main/core/kb/index'

// [code, diagnostic text (quoted from the brief's tables), expected entry id]
const TABLE: readonly (readonly [string, string, string])[] = [
  // §1.1 transient codes
  ['4.3.2', 'STOREDRV.Deliver; recipient thread limit exceeded', '4-3-2'],
  [
    '4.3.2',
    'mailbox busy; STOREDRV.Deliver.Exception:StoragePermanentException.MapiExceptionMaxObjsExceeded;',
    '4-3-2-busy',
  ],
  ['4.4.7', '#550 4.4.7 QUEUE.Expired; message expired ##', '4-4-7'],
  [
    '4.4.7',
    'Transient Failure during recipients lookup AmbiguousRecipientTransientException',
    '4-4-7-ambiguous',
  ],
  ['4.4.8', 'MX hosts of contoso.com failed MTA-STS validation', '4-4-8'],
  ['5.4.8', 'MX hosts of contoso.com failed MTA-STS validation', '4-4-8'],
  ['4.4.316', 'Connection refused [Message=Socket error code 10061]', '4-4-316'],
  ['4.4.317', 'Cannot connect to remote server [Message=UntrustedRoot]', '4-4-317'],
  ['4.5.3', 'Too many recipients', '4-5-3'],
  ['4.7.5', 'Remote certificate failed MTA-STS validation. Reason: invalid', '4-7-5'],
  ['5.7.5', 'Remote certificate failed MTA-STS validation. Reason: invalid', '4-7-5'],
  [
    '4.7.26',
    'Access denied, a message sent over IPv6 [2001:db8::1] must pass either SPF or DKIM validation, this message is not signed',
    '4-7-26',
  ],
  [
    '4.7.321',
    'starttls-not-supported: Destination mail server must support TLS to receive mail.',
    '4-7-321',
  ],
  [
    '5.7.321',
    'starttls-not-supported: Destination mail server must support TLS to receive mail.',
    '4-7-321',
  ],
  ['4.7.322', "certificate-expired: Destination mail server's certificate is expired.", '4-7-322'],
  ['5.7.322', "certificate-expired: Destination mail server's certificate is expired.", '4-7-322'],
  ['4.7.323', 'tlsa-invalid: The domain failed DANE validation.', '4-7-323'],
  ['5.7.323', 'tlsa-invalid: The domain failed DANE validation.', '4-7-323'],
  ['4.7.324', 'dnssec-invalid: Destination domain returned invalid DNSSEC records', '4-7-324'],
  ['5.7.324', 'dnssec-invalid: Destination domain returned invalid DNSSEC records', '4-7-324'],
  [
    '4.7.325',
    'certificate-host-mismatch: Remote certificate MUST have a common name or subject alternative name matching the hostname (DANE)',
    '4-7-325',
  ],
  [
    '5.7.325',
    'certificate-host-mismatch: Remote certificate MUST have a common name or subject alternative name matching the hostname (DANE)',
    '4-7-325',
  ],
  ['4.7.500', 'Access denied, please try again later', '4-7-500-699'],
  ['4.7.600', 'Access denied, please try again later', '4-7-500-699'],
  ['4.7.699', 'Access denied, please try again later', '4-7-500-699'],
  ['4.7.850', 'Access denied, please try again later', '4-7-850-899'],
  ['4.7.899', 'Access denied, please try again later', '4-7-850-899'],
  // §1.2
  ['5.0.350', 'Generic error', '5-0-350'],
  ['5.0.350', 'x-dg-ref header is too long', '5-0-350-tnef'],
  ['5.0.350', 'Requested action not taken: policy violation detected (AS345)', '5-0-350-embedded'],
  ['5.1.0', 'Sender denied', '5-1-0'],
  ['5.1.0', 'Recipient address rejected: SPF Permanent Error', '5-1-0'],
  ['5.1.1', 'RESOLVER.ADR.ExRecipNotFound; not found', '5-1-1-imceaex'],
  ['5.1.1', 'RESOLVER.ADR.RecipNotFound; not found', '5-1-1'],
  ['5.1.1', 'Bad destination mailbox address', '5-1-1'],
  ['5.1.6', 'Recipient has moved', '5-1-1'],
  ['5.1.20', 'Multiple From addresses are not allowed without Sender address', '5-1-20'],
  ['5.1.8', 'Access denied, bad outbound sender', '5-1-8'],
  [
    '5.1.10',
    'RESOLVER.ADR.RecipientNotFound; Recipient user@contoso.com not found by SMTP address lookup',
    '5-1-10',
  ],
  [
    '5.1.90',
    "Your message can't be sent because you've reached your daily limit for message recipients",
    '5-1-90',
  ],
  // §1.3
  [
    '5.2.0',
    'RESOLVER.ADR.BadPrimary; recipient primary SMTP address is missing or invalid',
    '5-2-0-badprimary',
  ],
  [
    '5.2.0',
    'STOREDRV.Deliver.Exception:ObjectNotFoundException.MapiExceptionNotFound; Failed to process message due to a permanent exception with message Cannot get ID from name',
    '5-2-0-clutter',
  ],
  ['5.2.2', 'Submission quota exceeded', '5-2-2-quota'],
  [
    '5.2.2',
    'mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionQuotaExceeded',
    '5-2-2-full',
  ],
  ['5.2.3', 'RESOLVER.RST.RecipSizeLimit; message too large for this recipient', '5-2-3'],
  [
    '5.2.121',
    "Recipient's per hour message receive limit from specific sender exceeded",
    '5-2-121',
  ],
  ['5.2.122', "Recipient's per hour message receive limit exceeded", '5-2-122'],
  [
    '5.3.190',
    'Journaling on-premises messages to Microsoft 365 or Office 365 not supported when Journaling Archive is disabled',
    '5-3-190',
  ],
  // §1.4
  ['5.4.1', '#550 5.4.1 Relay Access Denied ##', '5-4-1-relay'],
  ['5.4.1', 'Recipient address rejected: Access denied. AS(201806281)', '5-4-1-dbeb'],
  ['5.4.6', 'Hop count exceeded - possible mail loop', '5-4-6'],
  ['5.4.20', 'Hop count exceeded - possible mail loop', '5-4-6'],
  ['5.4.14', 'Hop count exceeded - possible mail loop ATTR34', '5-4-14'],
  ['5.4.300', 'Message expired', '5-4-300'],
  ['5.5.0', '550 5.5.0 Requested action not taken: mailbox unavailable', '5-5-0'],
  // §1.5
  [
    '5.6.0',
    'APPROVAL.InvalidExpiry; Cannot read expiry policy. [Stage: OnCreatedEvent][Agent: Approval Processing Agent]',
    '5-6-0-approval',
  ],
  ['5.6.0', 'Invalid message content', '5-6-0-content'],
  ['5.6.11', 'Invalid characters', '5-6-11'],
  // §1.6
  ['5.7.1', 'Delivery not authorized', '5-7-1'],
  ['5.7.1', 'RESOLVER.RST.NotAuthorized; not authorized', '5-7-1'],
  ['5.7.1', 'Unable to relay', '5-7-1-relay'],
  ['5.7.1', 'smtp;530 5.7.1 Client was not authenticated', '5-7-1-auth'],
  [
    '5.7.1',
    'RESOLVER.RST.AuthRequired; authentication required [Stage: CreateMessage]',
    '5-7-1-auth',
  ],
  [
    '5.7.1',
    'Service unavailable; Client host [192.0.2.1] blocked using Blocklist 1; To request removal from this list please forward this message to delist@messaging.microsoft.com',
    '5-7-1-blocklist',
  ],
  ['5.7.1', 'Unable To Relay: Blocked by Customer Allow list', '5-7-1-allowlist'],
  ['5.7.12', 'Sender was not authenticated by organization', '5-7-12'],
  ['5.7.13', 'Sender was not authenticated for public folder', '5-7-13'],
  ['5.7.135', 'Sender was not authenticated for public folder', '5-7-13'],
  ['5.7.23', 'The message was rejected because of Sender Policy Framework violation', '5-7-23'],
  [
    '5.7.25',
    'Access denied, the sending IPv6 address [2001:db8::1] must have a reverse DNS record',
    '5-7-25',
  ],
  ['5.7.57', 'Client was not authenticated to send anonymous mail during MAIL FROM', '5-7-57'],
  ['5.7.64', 'TenantAttribution; Relay Access Denied', '5-7-64'],
  ['5.7.64', '550 5.7.64 Relay Access Denied ATTR36', '5-7-64-attr36'],
  ['5.7.124', 'Sender not in allowed-senders list', '5-7-124'],
  [
    '5.7.133',
    'RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required; Delivery restriction check failed because the sender was not authenticated when sending to this group',
    '5-7-133',
  ],
  ['5.7.134', 'Sender was not authenticated for mailbox', '5-7-134'],
  ['5.7.136', 'Sender was not authenticated', '5-7-136'],
  [
    '5.7.193',
    "UnifiedGroupAgent; Delivery failed because the sender isn't a group member or external senders aren't permitted to send to this group.",
    '5-7-193',
  ],
  [
    '5.7.367',
    'Remote server returned not permitted to relay -> 554 5.7.1 Relaying denied',
    '5-7-367',
  ],
  // §1.7
  ['5.7.501', 'Access denied, spam abuse detected', '5-7-501'],
  ['5.7.502', 'Access denied, banned sender', '5-7-502-503'],
  ['5.7.503', 'Access denied, banned sender', '5-7-502-503'],
  ['5.7.504', '[email@contoso.com]: Recipient address rejected: Access denied', '5-7-504'],
  ['5.7.505', 'Access denied, banned recipient', '5-7-505'],
  ['5.7.506', 'Access Denied, Bad HELO', '5-7-506'],
  ['5.7.507', 'Access denied, rejected by recipient', '5-7-507'],
  [
    '5.7.508',
    'Access denied, [2001:db8::1] has exceeded permitted limits within /64 range',
    '5-7-508',
  ],
  [
    '5.7.509',
    'Access denied, sending domain [contoso.com] does not pass DMARC verification and has a DMARC policy of reject.',
    '5-7-509',
  ],
  ['5.7.510', 'Access denied, [contoso.com] does not accept email over IPv6', '5-7-510'],
  [
    '5.7.511',
    'Access denied, banned sender[192.0.2.1]. To request removal from this list, forward this message to delist@messaging.microsoft.com',
    '5-7-511',
  ],
  ['5.7.512', 'Access denied, message must be RFC 5322 section 3.6.2 compliant', '5-7-512'],
  [
    '5.7.513',
    'Service unavailable, Client host [192.0.2.1] blocked by contoso.com using Customer Block list (AS16012607)',
    '5-7-513',
  ],
  ['5.7.606', 'Access denied, banned sending IP [192.0.2.1]', '5-7-606-649'],
  ['5.7.649', 'Access denied, banned sending IP [192.0.2.1]', '5-7-606-649'],
  // §1.8
  ['5.7.700', 'Access denied', '5-7-700-749'],
  ['5.7.749', 'Access denied', '5-7-700-749'],
  [
    '5.7.703',
    "Your message can't be delivered because messages to XXX, YYY are blocked by your organization using Tenant Allow Block List.",
    '5-7-703',
  ],
  ['5.7.705', 'Access denied, tenant has exceeded threshold', '5-7-705'],
  [
    '5.7.708',
    'Service unavailable. Access denied, traffic not accepted from this IP. For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653 AS(7230)',
    '5-7-708',
  ],
  ['5.7.711', 'Access denied, bad inbound connector. AS(2204).', '5-7-711'],
  [
    '5.7.750',
    'Service unavailable. Client blocked from sending from unregistered domains',
    '5-7-750',
  ],
  ['5.7.800', 'Access denied, banned sender', '5-7-800'],
  ['5.7.900', 'Delivery not authorized, message refused', '5-7-900-999'],
  ['5.7.999', 'Custom text of the admin', '5-7-900-999'],
  // §1.10 session errors
  ['5.7.57', '530 5.7.57 Client not authenticated to send mail', '5-7-57'],
  ['5.7.3', '535 5.7.3 Authentication unsuccessful', '5-7-3'],
  [
    '5.7.139',
    '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled',
    '5-7-139',
  ],
  [
    '5.7.139',
    '535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. federated STS service was unreachable.',
    '5-7-139-sts',
  ],
  ['5.7.60', '5.7.60 SMTP; Client does not have permissions to send as this sender', '5-7-60'],
  ['5.1.8', '550 5.1.8 Bad outbound sender', '5-1-8'],
  // §1.11 seen in the wild
  [
    '5.1.351',
    '550 5.1.351 Remote server returned unknown recipient or mailbox unavailable -> 550 : User unknown',
    '5-1-351',
  ],
  ['5.7.129', 'You do not have permission to send to this recipient', '5-7-129'],
  ['5.7.0', 'Access denied', '5-7-x'],
  ['5.7.420', 'Policy rejection', '5-7-x'],
  [
    '4.7.650',
    'The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation.',
    'outlook-com',
  ],
  [
    '5.7.515',
    'Access denied, sending domain does not meet the required authentication level',
    'outlook-com',
  ],
  ['5.7.520', 'Access denied', 'outlook-com'],
]

describe('catalogue resolves every code of domain brief §1', () => {
  it.each(TABLE)('%s “%s” → %s', (status, diagnostic, id) => {
    const e = explain({ status, diagnostic })
    expect(e.source).toBe('catalogue')
    expect(e.entryId).toBe(id)
    expect(e.code).toBe(status)
    expect(e.steps.length).toBeGreaterThan(0)
    expect(e.whoActs.length).toBeGreaterThan(0)
  })

  it('the code is found in the diagnostic when no status is given (domain brief §2.6 variants)', () => {
    expect(
      explain({
        diagnostic:
          "Remote Server returned '550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.'",
      }).entryId,
    ).toBe('5-7-708')
    expect(explain({ diagnostic: '#550 4.4.7 QUEUE.Expired; message expired ##' }).entryId).toBe(
      '4-4-7',
    )
    expect(
      explain({ diagnostic: '550;5.7.711 Access denied, bad inbound connector. AS(2204).' })
        .entryId,
    ).toBe('5-7-711')
    expect(
      explain({
        diagnostic: 'Reported error: 550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found',
      }).entryId,
    ).toBe('5-1-10')
    expect(findCode('Client host [10.5.7.1] blocked')).toBe('')
    expect(
      findCode(
        'mail.contoso.com #<exchange.contoso.com #5.7.1 smtp;530 5.7.1 Client was not authenticated> #SMTP#',
      ),
    ).toBe('5.7.1')
  })

  it('every entry is reachable and every code of the catalogue is claimed by exactly the right entry', () => {
    for (const entry of CATALOGUE) {
      for (const code of entry.codes) {
        const ids = rankEntries(code, '').map((m) => m.entry.id)
        expect(ids).toContain(entry.id)
      }
    }
    expect(new Set(CATALOGUE.map((e) => e.id)).size).toBe(CATALOGUE.length)
  })

  it('codeless texts (§1.9, §1.10) are recognised by their words', () => {
    expect(
      explain({
        diagnostic:
          "The message can't be submitted because the sender's submission quota was exceeded",
      }).entryId,
    ).toBe('5-2-2-quota')
    expect(
      explain({ diagnostic: 'Client blocked from sending from unregistered domain' }).entryId,
    ).toBe('5-7-750')
    expect(
      explain({ diagnostic: 'Client does not have permissions to send as this sender' }).entryId,
    ).toBe('5-7-60')
    expect(explain({ diagnostic: '451 S3150 Temporarily rate limited' }).entryId).toBe(
      'outlook-com',
    )
  })
})

describe('the text decides where one code means several things (domain brief §1.0)', () => {
  it('5.2.2: quota is the sender, mailbox full is the recipient', () => {
    const quota = explain({ status: '5.2.2', diagnostic: 'Submission quota exceeded' })
    const full = explain({ status: '5.2.2', diagnostic: 'mailbox full' })
    expect(quota.whoActs[0]).toBe('sender')
    expect(full.whoActs).toContain('recipientAdmin')
    expect(explain({ status: '5.2.2' }).entryId).toBe('5-2-2-full')
  })
  it('5.4.1: relay vs DBEB', () => {
    expect(
      explain({ status: '5.4.1', diagnostic: 'Recipient address rejected: Access denied' }).entryId,
    ).toBe('5-4-1-dbeb')
    expect(explain({ status: '5.4.1' }).entryId).toBe('5-4-1-relay')
  })
  it('5.7.7xx: the text names the cause whatever number was printed (domain brief §5 item 3)', () => {
    expect(
      explain({
        status: '5.7.708',
        diagnostic: 'Client blocked from sending from unregistered domains',
      }).entryId,
    ).toBe('5-7-750')
    expect(
      explain({ status: '5.7.712', diagnostic: 'Access denied, tenant has exceeded threshold' })
        .entryId,
    ).toBe('5-7-705')
    expect(explain({ status: '5.7.712' }).entryId).toBe('5-7-700-749')
  })
  it('5.7.750 and 5.7.705 follow the model checklist of the issue', () => {
    for (const code of ['5.7.750', '5.7.705']) {
      const ids = explain({ status: code }).steps.map((s) => s.id)
      expect(ids).toContain('addVerifyAllDomains')
      expect(ids).toContain('checkConnectors')
      expect(ids).toContain('lockDownOnPrem')
      expect(ids[ids.length - 1]).toBe('openSupportCaseProof')
      expect(explain({ status: code }).whoActs).toEqual(['senderAdmin', 'microsoftSupport'])
    }
  })
})

describe('never a blank page', () => {
  it.each(['5.3.9', '4.9.9', '2.0.0', '5.1.99', '5.9.213', '4.2.2', '5.3.4'])(
    'unknown %s → RFC 3463 fallback',
    (code) => {
      const e = explain({ status: code })
      expect(e.source).toBe('fallback')
      expect(e.entryId).toBe(`rfc3463:${code}`)
      expect(e.titleKey).toMatch(/^kb:rfc3463\./)
      expect(e.summaryKey).toBe(`kb:rfc3463.class.${code[0]}.summary`)
      expect(e.steps.length).toBeGreaterThan(0)
      expect(e.paramKeys.classTitle).toBe(`kb:rfc3463.class.${code[0]}.title`)
    },
  )
  it('the RFC detail is used when the RFC defines it', () => {
    expect(explain({ status: '5.3.4' }).titleKey).toBe('kb:rfc3463.detail.3_4')
    expect(explain({ status: '5.1.99' }).titleKey).toBe('kb:rfc3463.subject.1.title')
    expect(explain({ status: '5.9.213' }).titleKey).toBe('kb:rfc3463.class.5.title')
    expect(explain({ status: '2.0.0' }).whoActs).toEqual(['nobody'])
  })
  it('a non-Microsoft bounce with only a category gets a category explanation', () => {
    const e = explain({ category: 'mailboxfull', system: 'postfix', recipient: 'a@example.org' })
    expect(e.source).toBe('fallback')
    expect(e.entryId).toBe('category:mailboxfull')
    expect(e.params.recipientDomain).toBe('example.org')
    expect(explain({ status: '5.1.1', category: 'userunknown', system: 'gmail' }).entryId).toBe(
      'category:userunknown',
    )
    expect(explain({ status: '5.0.0', category: 'userunknown' }).entryId).toBe(
      'category:userunknown',
    )
    expect(explain({ category: 'mesgtoobig' }).entryId).toBe('category:emailtoolarge')
  })
  it("the parser's 'unknown' system is no evidence of a foreign one", () => {
    // A bare pasted code: parsed as system 'unknown', reason category 'rejected'.
    expect(explain({ status: '5.7.750', category: 'rejected', system: 'unknown' }).entryId).toBe(
      '5-7-750',
    )
    expect(explain({ status: '5.7.750', category: 'rejected', system: 'postfix' }).entryId).toBe(
      'category:rejected',
    )
  })
  it('nothing at all still explains', () => {
    expect(explain({}).entryId).toBe('category:undefined')
    expect(explain({ status: 'garbage', diagnostic: '' }).entryId).toBe('category:undefined')
  })
})

describe('catalogue data', () => {
  it('learnMore links are https://learn.microsoft.com only', () => {
    for (const e of CATALOGUE) {
      if (e.learnMore) expect(e.learnMore).toMatch(/^https:\/\/learn\.microsoft\.com\//)
    }
  })
  it('admin-center details are https Microsoft pages; ids have no dots', () => {
    for (const e of CATALOGUE) {
      expect(e.id).not.toMatch(/[.:]/)
      for (const s of e.steps) {
        expect(s.id).not.toMatch(/[.:]/)
        if (s.detail?.kind === 'admin-center') {
          expect(s.detail.value).toMatch(
            /^https:\/\/([a-z.]+\.)?(microsoft\.com|office\.com|aka\.ms)\//,
          )
        }
      }
    }
  })
})
