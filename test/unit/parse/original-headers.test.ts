import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { parseBounce } from '../../../main/core/parse'
import { crossCheckFromParse } from '../../../main/core/connectors'

// The 5.7.750 bounce written from domain brief §2.3 (classic layout with returned headers).
const NDR = readFileSync(new URL('../connectors/fixtures/ndr-5.7.750.eml', import.meta.url), 'utf8')

describe('facts from the returned original headers (domain brief §4.3 N1, N3)', () => {
  test('P2 From domain and the EOP entry hop are read from the original message', () => {
    const r = parseBounce(NDR)
    expect(r.ok).toBe(true)
    const m = r.ok ? r.messages[0] : undefined
    expect(m?.fromDomain).toBe('contoso-invoices.net')
    expect(m?.relayIp).toBe('203.0.113.25')
  })

  test('the entry hop is the earliest Received into *.mail.protection.outlook.com, and Return-Path gives P1', () => {
    const text = [
      'From: postmaster@contoso.com',
      'Subject: Undeliverable: test',
      'Content-Type: text/plain',
      '',
      "Remote Server returned '550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains'",
      '',
      'Original message headers:',
      '',
      'Received: from BN8NAM12FT061.mail.protection.outlook.com (2603:10b6:408:11e::4) by BN9PR12MB5115.namprd12.prod.outlook.com',
      'Received: from relay.example.net (198.51.100.7) by BN8NAM12FT061.mail.protection.outlook.com (10.13.182.12)',
      'Received: from laptop (192.168.1.20) by relay.example.net',
      'Return-Path: bounces@mailer.example.net',
      'From: "Sales" <sales@example.org>',
      'Subject: test',
      '',
    ].join('\r\n')
    const r = parseBounce(text)
    const m = r.ok ? r.messages[0] : undefined
    expect(m?.relayIp).toBe('198.51.100.7')
    expect(m?.mailFromDomain).toBe('mailer.example.net')
    expect(m?.fromDomain).toBe('example.org')
    expect(crossCheckFromParse(r)).toMatchObject({
      status: '5.7.750',
      fromDomain: 'example.org',
      mailFromDomain: 'mailer.example.net',
      relayIp: '198.51.100.7',
    })
  })
})
