import fc from 'fast-check'
import { expect, test } from 'vitest'
import { auditTenant, importExports } from '../../../main/core/connectors'

// NDR_FUZZ_RUNS raises the count for nightly runs (reliability.md §6 P1); the default keeps the
// unit suite fast.
const RUNS = Number(process.env.NDR_FUZZ_RUNS ?? '') || 20_000

// Prefixes that steer random text into each reader, not only into "unknown format".
const PREFIXES = [
  '',
  '#TYPE Deserialized.X\r\n"Name","SenderIPAddresses","WhenCreatedUTC"\r\n',
  '"DomainName","DomainType"\n',
  '[{"Name":',
  '{"SmartHosts":[',
  '<Objs Version="1.1.0.1"><Obj RefId="0"><Props><S N="DomainName">',
  'Enabled        : True\nSenderIPAddresses : {',
  'Name : x\nConnectorType : ',
]

test('importExports and auditTenant never throw on arbitrary input', () => {
  const prevent = Object.keys(Object.prototype)
  fc.assert(
    fc.property(
      fc.constantFrom(...PREFIXES),
      fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })),
      fc.option(fc.constantFrom('5.7.750', '5.7.711', '5.1.8', 'x'), { nil: undefined }),
      (prefix, body, status) => {
        const result = importExports([{ name: 'fuzz', text: prefix + body }])
        expect(result.inputs).toHaveLength(1)
        const findings = auditTenant(
          result.objects,
          status
            ? { status, senderDomain: body.slice(0, 20), connectorName: body.slice(0, 10) }
            : undefined,
        )
        expect(Array.isArray(findings)).toBe(true)
      },
    ),
    { numRuns: RUNS },
  )
  expect(Object.keys(Object.prototype)).toEqual(prevent)
})
