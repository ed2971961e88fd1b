/** What the backend stores for a new case. Runs in the parse worker in the app. */
export interface Analysis {
  readonly title: string
  readonly status: string | null
}

// RFC 3463 §2: class "." subject "." detail, class 2/4/5, subject 1–3 digits, detail 1–3 digits.
// Bounded quantifiers and word boundaries keep it linear; the lookarounds stop it matching inside
// version numbers or IP addresses such as 10.5.1.200.
const ENHANCED = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.]*\d)/

const SUBJECT = /^Subject:[ \t]*(.{1,300})$/im

export function analyzeInput(text: string, fileName?: string): Analysis {
  const head = text.slice(0, 1_000_000)
  const m = ENHANCED.exec(head)
  const status = m ? `${m[1]}.${Number(m[2])}.${Number(m[3])}` : null
  const subject = SUBJECT.exec(head)?.[1]?.trim()
  const firstLine = head
    .split(/\r\n|\r|\n/, 50)
    .map((l) => l.trim())
    .find((l) => l.length > 0)
  const title = (subject || fileName || firstLine || '').slice(0, 200)
  return { title, status }
}
