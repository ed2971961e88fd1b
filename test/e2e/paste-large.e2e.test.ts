/**
 * Reliability P4 (shared/research/reliability.md): pasting 10 MB must not freeze the window. In the
 * page, a PerformanceObserver collects `longtask` entries (the W3C Long Tasks API: any task of 50 ms or
 * more on the UI thread) from the paste until the analysed case is shown, and the time from the paste
 * event to the first frame that shows feedback is measured. The bounce is a real Exchange Online NDR
 * from the corpus whose returned original message carries a 10 MB quoted thread, as a mail client
 * returns when a huge reply chain bounces.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { recordFigures } from '../support/figures'
import { foreignRequests, launchApp, REPO_ROOT, type AppHandle } from './support/app'
import { seriousViolations } from './support/axe'

const CORPUS = join(REPO_ROOT, '..', 'shared', 'corpus')
const SHOTS = join(REPO_ROOT, 'assets', 'screenshots')
const SAMPLE = 'microsoft/lhost-office365-13.eml'
const TEN_MB = 10 * 1024 * 1024
const LONG_TASK_MS = 50
const FEEDBACK_TARGET_MS = 100

/**
 * The sample, with a long quoted reply chain in the body of its returned original message (the last
 * MIME part, `message/rfc822`), up to `size` characters. The bounce's own facts (the DSN part) are
 * untouched, so the status the corpus expects must still come out.
 */
function hugeBounce(size: number): string {
  const eml = readFileSync(join(CORPUS, SAMPLE), 'latin1')
  const end = eml.lastIndexOf('\n--eff0ee02-0022-2502-2022-ffef0002202f--')
  if (end < 0) throw new Error(`${SAMPLE}: closing boundary not found`)
  const head = eml.slice(0, end) + '\n'
  const tail = eml.slice(end)
  const lines: string[] = []
  let length = head.length + tail.length
  for (let i = 1; length < size; i++) {
    const depth = '>'.repeat(1 + (i % 4))
    const line =
      i % 40 === 1
        ? `${depth} On Thu, 27 Apr 2017 09:${String(i % 60).padStart(2, '0')} +0900, neko@example.com wrote:`
        : `${depth} [${i}] Quarterly figures for the Kyoto office, row ${i}: 12,345 units shipped, 678 returned, see the attached sheet.`
    lines.push(line)
    length += line.length + 1
  }
  // Cut to the exact size, ending the quoted thread with a line break before the closing boundary.
  return (head + lines.join('\n')).slice(0, size - tail.length - 1) + '\n' + tail
}

interface Task {
  readonly start: number
  readonly duration: number
}

interface PasteMeasure {
  readonly feedbackMs: number | null
  readonly resultMs: number | null
  /** Every long task from the paste until the pasted text is ready (summary shown, lines counted). */
  readonly longTasks: readonly Task[]
  /** Long tasks from the click on Analyze to the case shown (the analysis, not the paste). */
  readonly analyzeTasks: readonly Task[]
  /** Calls of DataTransfer.getData: Chromium reading the clipboard, synchronously. */
  readonly clipboardReads: readonly Task[]
}

/**
 * Installs, in the page: a buffered `longtask` observer; a capturing `paste` listener that notes the
 * paste event's time; a timer around DataTransfer.getData; and a frame loop that notes the first
 * frame showing feedback (the large-paste summary, or text in the paste area as before the fix) and
 * the first frame showing the case's status.
 *
 * Why getData is timed: reading the clipboard is Chromium's own synchronous work on the UI thread,
 * in the paste event's task, whatever the page does. DataTransfer.getData and
 * DataTransferItem.getAsString both read it at once (Blink data_transfer_item.cc calls GetAsString
 * before posting the callback), and a bare <textarea>'s native paste reads it the same way.
 * Measured here: 52-71 ms for 10 MB on the shared 2-core machine (~5-7 ms per MB), which alone is
 * a long task. navigator.clipboard.readText() reads it off the UI thread (measured: no long task)
 * but needs the clipboard-read permission: the desktop app's session grants it to its own page, a
 * browser only when the user allows it. The first test runs with it; the second without, where the
 * getData read is attributed to Chromium and the app is held to 0 long tasks for everything else.
 */
async function instrument(page: Page): Promise<void> {
  await page.evaluate(PROBE)
}

/** The page side of instrument(), as plain JavaScript (the specs compile without the DOM types). */
const PROBE = `(() => {
  const state = {
    pasteAt: null,
    feedbackAt: null,
    resultAt: null,
    analyzeAt: null,
    longTasks: [],
    clipboardReads: [],
  }
  window.__p4 = state
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) state.longTasks.push({ start: e.startTime, duration: e.duration })
  }).observe({ type: 'longtask', buffered: true })
  document.addEventListener('paste', (e) => { state.pasteAt ??= e.timeStamp }, { capture: true })
  const getData = DataTransfer.prototype.getData
  DataTransfer.prototype.getData = function (format) {
    const start = performance.now()
    try {
      return getData.call(this, format)
    } finally {
      state.clipboardReads.push({ start, duration: performance.now() - start })
    }
  }
  // A requestAnimationFrame callback runs before that frame's style, layout and paint; a message
  // posted from it is handled after them. So "shown" is the time that message arrives.
  const afterPaint = (set) => {
    const ch = new MessageChannel()
    ch.port1.onmessage = () => set(performance.now())
    ch.port2.postMessage(null)
  }
  const frame = () => {
    if (state.pasteAt !== null && state.feedbackAt === null) {
      const area = document.querySelector('[data-testid=paste-area]')
      if (
        document.querySelector('[data-testid=large-paste]') ||
        document.querySelector('[data-testid=paste-reading]') ||
        (area && area.value.length > 0)
      )
        afterPaint((t) => (state.feedbackAt ??= t))
    }
    if (state.pasteAt !== null && document.querySelector('[data-testid=case-status]')) {
      afterPaint((t) => (state.resultAt ??= t))
      return
    }
    requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
})()`

/**
 * Waits until everything the paste starts is done (the summary shows the counted lines), then
 * marks the time: what follows is the analysis the user asks for, measured apart.
 */
async function pastedTextReady(page: Page): Promise<void> {
  await expect
    .poll(() => page.getByTestId('large-paste-size').textContent())
    .toMatch(/lines: [\d,]+$/)
  await page.evaluate('window.__p4.analyzeAt = performance.now()')
}

async function collect(page: Page): Promise<PasteMeasure> {
  await expect.poll(() => page.evaluate('window.__p4.resultAt')).not.toBeNull()
  return page.evaluate<PasteMeasure>(`(() => {
    const s = window.__p4
    const end = s.resultAt ?? performance.now()
    const ready = s.analyzeAt ?? end
    const within = (from, to) => (t) => t.start + t.duration >= from && t.start <= to
    return {
      feedbackMs: s.feedbackAt === null ? null : s.feedbackAt - s.pasteAt,
      resultMs: s.resultAt === null ? null : s.resultAt - s.pasteAt,
      longTasks: s.longTasks.filter(within(s.pasteAt, ready)),
      analyzeTasks: s.longTasks.filter(within(ready, end)),
      clipboardReads: s.clipboardReads.filter(within(s.pasteAt, ready)),
    }
  })()`)
}

/** The part of a task spent in Chromium's clipboard read (getData calls inside it). */
function clipboardShare(task: Task, reads: readonly Task[]): number {
  return reads
    .filter((r) => r.start >= task.start && r.start <= task.start + task.duration)
    .reduce((n, r) => n + r.duration, 0)
}

/** Runs in the page (typed here without the DOM library). */
const writeClipboard = (t: string) =>
  (
    globalThis as unknown as { navigator: { clipboard: { writeText(s: string): Promise<void> } } }
  ).navigator.clipboard.writeText(t)

const ms = (n: number) => `${Math.round(n)} ms`

/** Lines as the summary counts them: CRLF, LF or a lone CR end a line. */
function countLines(text: string): number {
  return text.split(/\r\n|\r|\n/).length - (/[\r\n]$/.test(text) ? 1 : 0)
}

/**
 * Without the clipboard permission Chromium reads the clipboard synchronously inside the paste
 * event's task (DataTransfer.getData); a plain <textarea> pays it too. These rows are shown, not
 * hidden, as a platform floor of that case.
 */
const CLIPBOARD_FLOOR =
  "Chromium's synchronous clipboard read in the paste event; the app's own share is the row above"

describe('pasting a 10 MB bounce', () => {
  let app: AppHandle
  beforeAll(async () => {
    app = await launchApp({ locale: 'en-US' })
    await app.page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  })
  afterAll(async () => {
    await app?.close()
  })

  test('keeps the window responsive and still produces the case', async () => {
    const page = app.page
    const text = hugeBounce(TEN_MB)
    expect(text.length).toBe(TEN_MB)
    await page.getByTestId('paste-area').waitFor()
    // A real, trusted paste: the text goes through the browser's clipboard and Ctrl+V, so Chromium
    // reads the clipboard as it does for a user.
    await page.evaluate(writeClipboard, text)
    await page.getByTestId('paste-area').focus()
    await instrument(page)
    await page.keyboard.press('ControlOrMeta+V')
    await page.getByTestId('large-paste').waitFor()
    await expect(page.getByTestId('paste-area').count()).resolves.toBe(0)
    await pastedTextReady(page)
    await page.getByTestId('analyze').click()
    await page.getByTestId('case-status').waitFor({ timeout: 60_000 })
    const m = await collect(page)
    console.log('P4 measured', JSON.stringify(m))

    // The case holds the facts of the real NDR inside the 10 MB (corpus expected.json: 5.1.10).
    expect(await page.getByTestId('case-status').textContent()).toBe('5.1.10')
    // The details tab shows the start of the original and offers the whole as a file: laying out
    // 10 MB of text took 2.5 s in one task before.
    const detailsFrom = await page.evaluate<number>('performance.now()')
    await page.getByTestId('tab-details').click()
    await page.getByTestId('case-source-truncated').waitFor()
    const detailsTasks = await page.evaluate<number[]>(
      `window.__p4.longTasks.filter((t) => t.start >= ${detailsFrom}).map((t) => Math.round(t.duration))`,
    )
    console.log('P4 details tab long tasks', JSON.stringify(detailsTasks))
    expect((await page.getByTestId('case-source').textContent())?.length).toBe(64 * 1024)
    await expect(page.getByTestId('recipient-status').first().textContent()).resolves.toBe('5.1.10')
    await expect(page.getByTestId('recipient-row').first().textContent()).resolves.toContain(
      'kijitora-nyaan@neko.kyoto.example.jp',
    )
    expect(foreignRequests(app)).toEqual([])
    // In browser mode the calls go through the API worker (JSON of 10 MB off the UI thread).
    if (app.kind === 'browser')
      expect(app.requests.some((u) => /\/assets\/http-worker-[\w-]+\.js$/.test(u))).toBe(true)

    // With the clipboard permission (the desktop app's session grants it to its own page; a browser
    // when the user allows it) the paste is read with navigator.clipboard.readText, off the UI
    // thread: no getData call, no long task at all.
    expect(m.clipboardReads).toHaveLength(0)
    const tasks = m.longTasks.map((t) => Math.round(t.duration))
    recordFigures('paste-10mb', 'UI thread during a 10 MB paste', [
      {
        check: `Long tasks ≥ ${LONG_TASK_MS} ms from a 10 MB paste to its result (clipboard permission: desktop app, or allowed in a browser)`,
        target: '0',
        measured: tasks.length === 0 ? '0' : `${tasks.length}: ${tasks.map(ms).join(', ')}`,
        pass: tasks.length === 0,
      },
      {
        check: 'First visible feedback after the paste (summary painted)',
        target: `≤ ${FEEDBACK_TARGET_MS} ms`,
        measured: m.feedbackMs === null ? 'none' : ms(m.feedbackMs),
        pass: m.feedbackMs !== null && m.feedbackMs <= FEEDBACK_TARGET_MS,
      },
      {
        check: 'Time from the paste to the analysed case (informational)',
        target: 'the result arrives',
        measured:
          (m.resultMs === null ? 'none' : ms(m.resultMs)) +
          `; long tasks from Analyze to the case shown: ${m.analyzeTasks.length === 0 ? '0' : m.analyzeTasks.map((t) => ms(t.duration)).join(', ')}`,
        pass: m.resultMs !== null,
      },
    ])
    expect(tasks).toEqual([])
    expect(m.feedbackMs).not.toBeNull()
    expect(m.feedbackMs).toBeLessThanOrEqual(FEEDBACK_TARGET_MS)
  })

  test('without the clipboard permission (a browser by default) only Chromium’s own read is long', async () => {
    const page = app.page
    await page.getByTestId('new-analysis').click()
    await page.evaluate(writeClipboard, hugeBounce(TEN_MB))
    await page.context().clearPermissions()
    await page.reload()
    await page.getByTestId('paste-area').waitFor()
    await page.getByTestId('paste-area').focus()
    await instrument(page)
    await page.keyboard.press('ControlOrMeta+V')
    await page.getByTestId('large-paste').waitFor()
    await pastedTextReady(page)
    await page.getByTestId('analyze').click()
    await page.getByTestId('case-status').waitFor({ timeout: 60_000 })
    const m = await collect(page)
    console.log('P4 measured without permission', JSON.stringify(m))
    expect(await page.getByTestId('case-status').textContent()).toBe('5.1.10')
    // DataTransfer.getData reads the clipboard synchronously in the paste event's task: Chromium's
    // work, which no page can avoid without the permission. It is timed apart (see PROBE) and
    // subtracted from the task it ran in; the app reads once.
    expect(m.clipboardReads).toHaveLength(1)
    const clipboardMs = m.clipboardReads.reduce((n, r) => n + r.duration, 0)
    const tasks = m.longTasks.map((t) => ({ ...t, clipboard: clipboardShare(t, m.clipboardReads) }))
    const appTasks = tasks.filter((t) => t.duration - t.clipboard >= LONG_TASK_MS)
    const listTasks = (list: typeof tasks) =>
      list.length === 0
        ? '0'
        : `${list.length}: ` +
          list
            .map(
              (t) =>
                ms(t.duration) + (t.clipboard > 0 ? ` (clipboard read ${ms(t.clipboard)})` : ''),
            )
            .join(', ')
    const feedbackApp = m.feedbackMs === null ? null : m.feedbackMs - clipboardMs
    recordFigures(
      'paste-10mb-fallback',
      'UI thread during a 10 MB paste, no clipboard permission',
      [
        {
          check: `Long tasks ≥ ${LONG_TASK_MS} ms from a 10 MB paste to its result: the app's own work`,
          target: '0',
          measured:
            listTasks(appTasks) +
            (tasks.length > appTasks.length
              ? ` (the paste event's task: ${listTasks(tasks.filter((t) => t.clipboard > 0))})`
              : ''),
          pass: appTasks.length === 0,
        },
        {
          check: `Long tasks ≥ ${LONG_TASK_MS} ms from a 10 MB paste to its result: all, with Chromium's synchronous clipboard read`,
          target: '0',
          measured: listTasks(tasks),
          pass: tasks.length === 0,
          limit: CLIPBOARD_FLOOR,
        },
        {
          check: "First visible feedback after the paste (summary painted): the app's share",
          target: `≤ ${FEEDBACK_TARGET_MS} ms`,
          measured: feedbackApp === null ? 'none' : ms(feedbackApp),
          pass: feedbackApp !== null && feedbackApp <= FEEDBACK_TARGET_MS,
        },
        {
          check: "First visible feedback after the paste: all, with Chromium's clipboard read",
          target: `≤ ${FEEDBACK_TARGET_MS} ms`,
          measured:
            m.feedbackMs === null
              ? 'none'
              : `${ms(m.feedbackMs)} (clipboard read ${ms(clipboardMs)})`,
          pass: m.feedbackMs !== null && m.feedbackMs <= FEEDBACK_TARGET_MS,
          limit: CLIPBOARD_FLOOR,
        },
        {
          check: 'Time from the paste to the analysed case (informational)',
          target: 'the result arrives',
          measured: m.resultMs === null ? 'none' : ms(m.resultMs),
          pass: m.resultMs !== null,
        },
      ],
    )
    expect(appTasks.map((t) => Math.round(t.duration))).toEqual([])
    expect(feedbackApp).not.toBeNull()
    expect(feedbackApp).toBeLessThanOrEqual(FEEDBACK_TARGET_MS)
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
    await page.reload()
    await page.getByTestId('paste-area').waitFor()
  })

  test('with the permission, a small paste still lands in the text box, and Ctrl+Z undoes it', async () => {
    const page = app.page
    await page.getByTestId('new-analysis').click()
    const line =
      "Remote Server returned '550 5.7.750 Service unavailable. Client blocked from sending'"
    await page.evaluate(writeClipboard, line)
    const area = page.getByTestId('paste-area')
    await area.fill('')
    await area.focus()
    await page.keyboard.press('ControlOrMeta+V')
    await expect.poll(() => area.inputValue()).toBe(line)
    await page.keyboard.press('ControlOrMeta+Z')
    await expect.poll(() => area.inputValue()).toBe('')
    await page.evaluate(writeClipboard, hugeBounce(TEN_MB))
  })

  test('the summary shows the size and lines; Clear brings the text box back', async () => {
    const page = app.page
    const text = hugeBounce(TEN_MB)
    await page.getByTestId('new-analysis').click()
    await page.getByTestId('paste-area').focus()
    // The clipboard still holds the 10 MB bounce.
    await page.keyboard.press('ControlOrMeta+V')
    const size = page.getByTestId('large-paste-size')
    await expect
      .poll(() => size.textContent())
      .toBe(`10.0 MB · lines: ${countLines(text).toLocaleString('en-US')}`)
    await expect(page.getByTestId('large-preview').textContent()).resolves.toContain(
      'Return-Path: <>',
    )
    expect(await seriousViolations(page)).toEqual([])
    mkdirSync(SHOTS, { recursive: true })
    await page.screenshot({ path: join(SHOTS, 'large-paste-en.png') })
    await page.getByTestId('large-clear').click()
    await expect(page.getByTestId('paste-area').inputValue()).resolves.toBe('')
    expect(await page.getByTestId('analyze').isDisabled()).toBe(true)
  })

  test('text above the 25 MB limit is refused with its size, before any request', async () => {
    const page = app.page
    await page.evaluate("navigator.clipboard.writeText('x'.repeat(26 * 1024 * 1024))")
    const before = app.requests.length
    await page.getByTestId('paste-area').focus()
    await page.keyboard.press('ControlOrMeta+V')
    await expect(page.getByTestId('paste-too-large').textContent()).resolves.toContain(
      'This text is 26.0 MB, more than the 25.0 MB',
    )
    await expect(page.getByTestId('paste-area').inputValue()).resolves.toBe('')
    expect(await page.getByTestId('analyze').isDisabled()).toBe(true)
    expect(app.requests.slice(before).filter((u) => u.includes('/api/cases.analyze'))).toEqual([])
  })
})
