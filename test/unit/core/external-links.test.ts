import { describe, expect, test } from 'vitest'
import { isAllowedExternalUrl } from '../../../main/core/api/external-links'

describe('links the app may open outside itself', () => {
  test.each([
    'https://learn.microsoft.com/exchange/troubleshoot/email-delivery/ndr/fix-error-codes-550-5-7-703-550-5-7-705-550-5-7-708-550-5-7-750',
    'https://admin.exchange.microsoft.com/#/connectors',
    'https://security.microsoft.com/restrictedentities',
    'mailto:helpdesk@contoso.com',
  ])('allowed: %s', (url) => expect(isAllowedExternalUrl(url)).toBe(true))

  test.each([
    'http://learn.microsoft.com/x',
    'https://learn.microsoft.com.evil.example/x',
    'https://evil.example/?https://learn.microsoft.com',
    'https://user:pass@learn.microsoft.com/x',
    'https://learn.microsoft.com:8443/x',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'data:text/html,<script>alert(1)</script>',
    'mailto:a@b.c<script>',
    'not a url',
  ])('refused: %s', (url) => expect(isAllowedExternalUrl(url)).toBe(false))
})
