import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { recordFigures } from '../support/figures'
import { foreignRequests, launchApp, type AppHandle } from './support/app'

// XSS and mXSS vectors of the kinds reliability.md §4.5 lists (script, handlers, javascript: URLs,
// SVG/MathML namespace confusion, CSS and remote loads, meta refresh, base, forms, frames), each of
// which would set window.__xss on its way to the page, call alert, or fetch from an outside host.
const BEACON = 'http://198.51.100.9/beacon.gif'
const VECTORS = [
  '<script>top.__xss=1</script>',
  '<img src=x onerror="top.__xss=1">',
  '<img src="' + BEACON + '">',
  '<svg onload="top.__xss=1"></svg>',
  '<svg><script>top.__xss=1</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror="top.__xss=1">',
  '<a href="javascript:top.__xss=1">click</a>',
  '<a href="' + BEACON + '">link</a>',
  '<iframe src="javascript:top.__xss=1"></iframe>',
  '<iframe srcdoc="<script>top.__xss=1</script>"></iframe>',
  '<object data="javascript:top.__xss=1"></object>',
  '<embed src="javascript:top.__xss=1">',
  '<body onload="top.__xss=1">',
  '<div style="background:url(' + BEACON + ')">css</div>',
  '<style>@import "' + BEACON + '"; body{background:url(' + BEACON + ')}</style>',
  '<link rel="stylesheet" href="' + BEACON + '">',
  '<meta http-equiv="refresh" content="0;url=javascript:top.__xss=1">',
  '<base href="javascript:top.__xss=1//">',
  '<form action="javascript:top.__xss=1"><button>go</button></form>',
  '<input autofocus onfocus="top.__xss=1">',
  '<details open ontoggle="top.__xss=1">',
  '<video><source onerror="top.__xss=1"></video>',
  '<audio src=x onerror="top.__xss=1">',
  '<noscript><p title="</noscript><img src=x onerror=top.__xss=1>">',
  '<svg><a xlink:href="javascript:top.__xss=1"><text x="20" y="20">x</text></a></svg>',
  '<img src="x" srcset="' + BEACON + ' 1x">',
  '<table background="' + BEACON + '"><tr><td>t</td></tr></table>',
  '<marquee onstart="top.__xss=1">m</marquee>',
  '<isindex action="javascript:top.__xss=1" type=image>',
  '<template><script>top.__xss=1</script></template>',
  '<select autofocus onfocus="top.__xss=1"></select>',
  '<textarea autofocus onfocus="top.__xss=1"></textarea>',
  '<div onmouseover="top.__xss=1" style="width:100%;height:100%">hover</div>',
  '<p>&lt;script&gt;top.__xss=1&lt;/script&gt;</p>',
  '<img src=x:x onerror=eval(atob("dG9wLl9feHNzPTE="))>',
  '<svg><animate onbegin="top.__xss=1" attributeName=x dur=1s>',
  '<object data="data:text/html;base64,PHNjcmlwdD50b3AuX194c3M9MTwvc2NyaXB0Pg=="></object>',
  '<a href="data:text/html,<script>top.__xss=1</script>">d</a>',
  '<img src="data:image/svg+xml,<svg onload=top.__xss=1>">',
  '<div id="x"><!--<img src=x onerror=top.__xss=1>--></div>',
]
const WRAPS: readonly ((v: string) => { cte: string; body: string })[] = [
  (v) => ({ cte: '7bit', body: `<html><body><p>Delivery has failed.</p>${v}</body></html>` }),
  (v) => ({ cte: '7bit', body: `<table><tr><td>550 5.7.750</td><td>${v}</td></tr></table>` }),
  (v) => ({ cte: 'base64', body: Buffer.from(`<div>${v}</div>`).toString('base64') }),
  (v) => ({
    cte: 'quoted-printable',
    body: `<div>${v}</div>`.replace(/=/g, '=3D'),
  }),
  (v) => ({ cte: '7bit', body: `<!doctype html><head><title>t</title></head>${v}${v}` }),
]

function bounce(
  i: number,
  vector: string,
  wrap: (v: string) => { cte: string; body: string },
): string {
  const { cte, body } = wrap(vector)
  return [
    'From: Microsoft Outlook <postmaster@contoso.com>',
    `Subject: Undeliverable: hostile ${i}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    "Remote Server returned '550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains'",
    '--b1',
    'Content-Type: text/html; charset=utf-8',
    `Content-Transfer-Encoding: ${cte}`,
    '',
    body,
    '--b1--',
    '',
  ].join('\r\n')
}

describe('hostile bounce HTML, end to end', () => {
  let app: AppHandle
  const dialogs: string[] = []
  beforeAll(async () => {
    app = await launchApp({ locale: 'en-US' })
    app.page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
  })
  afterAll(async () => {
    await app?.close()
  })

  test(`${VECTORS.length * WRAPS.length} hostile bounces open in the formatted view: no script runs, nothing loads`, async () => {
    const page = app.page
    await page.getByTestId('paste-area').waitFor()
    // Stored through the app's own API from inside the page (as a paste would be), then each opened.
    const ids = await page.evaluate<number[]>(
      `(async (texts) => {
        const token = sessionStorage.getItem('ndr-assistant.token')
        const ids = []
        for (const text of texts) {
          const r = await fetch('/api/cases.analyze', { method: 'POST', headers: { 'content-type': 'application/json', 'x-ndr-token': token }, body: JSON.stringify({ text }) })
          ids.push((await r.json()).value.id)
        }
        return ids
      })(${JSON.stringify(VECTORS.flatMap((v, i) => WRAPS.map((w, k) => bounce(i * 10 + k, v, w))))})`,
    )
    expect(ids).toHaveLength(VECTORS.length * WRAPS.length)
    await page.getByTestId('case-search').fill('hostile')
    await page.getByTestId('case-search').fill('')
    // The frame does render: the last case opened is the first bounce, whose HTML says so.
    let rendered = 0
    for (let k = 0; k < ids.length; k++) {
      await page.getByTestId('case-item').nth(k).click()
      await page.getByTestId('tab-details').click()
      const frame = page.getByTestId('bounce-html')
      await frame.waitFor()
      expect(await frame.getAttribute('sandbox')).toBe('')
      rendered++
    }
    expect(rendered).toBe(ids.length)
    const body = page.frameLocator('[data-testid="bounce-html"]').locator('body')
    await expect.poll(() => body.textContent()).toContain('Delivery has failed.')
    const xss = await page.evaluate('window.__xss')
    const foreign = foreignRequests(app)
    recordFigures('hostile-html', 'Hostile NDR HTML (Chromium, end to end)', [
      {
        check: `${ids.length} hostile bounces opened (${VECTORS.length} vectors × ${WRAPS.length} wrappings)`,
        target: '≥ 200; 0 scripts, 0 dialogs, 0 requests',
        measured: `${rendered} rendered sandboxed; scripts ${xss === undefined ? 0 : 'RAN'}, dialogs ${dialogs.length}, requests out ${foreign.length}`,
        pass: rendered >= 200 && xss === undefined && dialogs.length === 0 && foreign.length === 0,
      },
    ])
    expect(xss).toBeUndefined()
    expect(dialogs).toEqual([])
    expect(foreign).toEqual([])
  })
})
