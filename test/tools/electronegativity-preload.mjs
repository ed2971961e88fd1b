// Loaded with `node --import` into the Electronegativity process by electronegativity.mjs. Two jobs:
//
// 1. Offline. Electronegativity 1.10.3 fetches its message translations from S3 at start-up (twice,
//    dist/locales/i18n.js, with `got` retries: ~7 s of waiting when offline), and its
//    AvailableSecurityFixesGlobalCheck fetches Electron's release list (excluded with -x anyway).
//    Its `got` is replaced by a function that fails at once, so no request ever leaves the machine;
//    the bundled en-US messages are used.
// 2. No silent gaps. With `-o`, the CLI drops the list of files it could not parse or check
//    (runner.js returns it, index.js ignores it), so a file in a syntax its old parsers do not know
//    would simply not be checked. Every parse and check is recorded, failures included, and written
//    to $NDR_ENG_REPORT at exit; the gate fails on any failure.
import Module, { createRequire } from 'node:module'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const pkgDir = dirname(require.resolve('@doyensec/electronegativity/package.json'))

const gotPath = require.resolve('got', { paths: [pkgDir] })
const offline = new Module(gotPath)
offline.filename = gotPath
offline.loaded = true
offline.exports = () =>
  Promise.reject(new Error('network disabled (electronegativity-preload.mjs)'))
require.cache[gotPath] = offline

const report = { files: [], errors: [] }
const message = (e) => (e instanceof Error ? e.message : String(e))

const { Parser } = require(join(pkgDir, 'dist/parser/parser.js'))
const parse = Parser.prototype.parse
Parser.prototype.parse = function (filename, content) {
  report.files.push(filename)
  try {
    return parse.call(this, filename, content)
  } catch (e) {
    report.errors.push({ file: filename, stage: 'parse', message: message(e) })
    throw e
  }
}

const { Finder } = require(join(pkgDir, 'dist/finder/finder.js'))
const find = Finder.prototype.find
Finder.prototype.find = async function (file, ...rest) {
  try {
    return await find.call(this, file, ...rest)
  } catch (e) {
    report.errors.push({ file, stage: 'check', message: message(e) })
    throw e
  }
}

process.on('exit', () => {
  if (process.env.NDR_ENG_REPORT) writeFileSync(process.env.NDR_ENG_REPORT, JSON.stringify(report))
})
