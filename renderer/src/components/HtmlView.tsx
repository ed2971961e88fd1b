import { useEffect, useMemo, useState } from 'react'
import { makeStyles, Text, tokens } from '@fluentui/react-components'
import DOMPurify from 'dompurify'
import { useTranslation } from 'react-i18next'
import type { NdrApi } from '../../../main/core/api/contract'
import { call } from '../api'

const useStyles = makeStyles({
  frame: {
    width: '100%',
    height: '420px',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: '#fff',
  },
})

/** The frame's own policy: nothing loads, nothing runs; inline styles only, images only inline. */
const FRAME_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"

/**
 * Bounce HTML is attacker-controlled. Three layers: DOMPurify (no script, handlers, forms, frames,
 * styles sheets or remote URLs; links lose their targets), a frame CSP that forbids every load but
 * inline data, and a sandboxed iframe with no script and an opaque origin, so even a sanitizer bypass
 * cannot run code or reach the app (reliability.md §4.5).
 */
export function sanitizeBounceHtml(html: string): string {
  const purify = DOMPurify(window)
  purify.addHook('afterSanitizeAttributes', (node) => {
    // Inline styles keep the report's layout, but one with a URL in it could load from outside.
    const style = node.getAttribute('style')
    if (style !== null && /url\s*\(|image-set|@import|expression\s*\(|\\/i.test(style))
      node.removeAttribute('style')
    for (const attr of ['href', 'src', 'srcset', 'xlink:href', 'action', 'background', 'poster']) {
      const v = node.getAttribute(attr)
      if (v === null) continue
      if (attr === 'src' && /^data:image\/(png|gif|jpe?g|webp);base64,/i.test(v)) continue
      node.removeAttribute(attr)
    }
  })
  const clean = purify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: [
      'style',
      'link',
      'meta',
      'base',
      'form',
      'input',
      'button',
      'textarea',
      'select',
      'iframe',
      'frame',
      'object',
      'embed',
      'svg',
      'math',
      'template',
    ],
    FORBID_ATTR: ['srcdoc', 'ping', 'formaction'],
    ALLOW_DATA_ATTR: false,
  })
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}"></head><body style="font-family: 'Segoe UI', sans-serif; font-size: 14px">${clean}</body></html>`
}

export function HtmlView(props: { api: NdrApi; caseId: number; onError: (e: unknown) => void }) {
  const styles = useStyles()
  const { t } = useTranslation()
  const [html, setHtml] = useState<string | null | undefined>(undefined)
  const { api, caseId, onError } = props
  useEffect(() => {
    let live = true
    call(api, 'cases.html', { id: caseId }).then(
      (r) => live && setHtml(r.html),
      (e: unknown) => live && onError(e),
    )
    return () => {
      live = false
    }
  }, [api, caseId, onError])
  const doc = useMemo(() => (html ? sanitizeBounceHtml(html) : null), [html])
  if (!doc) return null
  return (
    <section aria-labelledby="html-heading">
      <Text as="h3" id="html-heading" size={400} weight="semibold">
        {t('common:case.formatted')}
      </Text>
      <Text as="p" size={200} block>
        {t('common:case.formattedHint')}
      </Text>
      <iframe
        className={styles.frame}
        title={t('common:case.formatted')}
        sandbox=""
        referrerPolicy="no-referrer"
        srcDoc={doc}
        data-testid="bounce-html"
      />
    </section>
  )
}
