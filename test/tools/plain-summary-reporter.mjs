// Prints the closing line CI reads ("N passed, N failed"). A file that fails to load counts as
// one failure, so a broken import can never pass as "0 failed".
export default class PlainSummaryReporter {
  onTestRunEnd(testModules, unhandledErrors) {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const m of testModules) {
      const tests = [...m.children.allTests()]
      for (const t of tests) {
        const s = t.result().state
        if (s === 'passed') passed++
        else if (s === 'failed') failed++
        else skipped++
      }
      if (m.state() === 'failed' && tests.length === 0) failed++
    }
    failed += unhandledErrors?.length ?? 0
    const summary = { passed, failed, skipped }
    globalThis.__ndrSummary = summary
    const file = process.env.NDR_SUMMARY_FILE
    if (file) {
      return import('node:fs').then((fs) => fs.writeFileSync(file, JSON.stringify(summary)))
    }
    process.stdout.write(
      `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
    )
    return undefined
  }
}
