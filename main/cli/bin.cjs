#!/usr/bin/env node
// The `ndr-assistant` command. Plain CommonJS with no syntax newer than Node 12, so that an old Node
// reaches the version check below and explains itself instead of crashing on a syntax or ABI error
// (better-sqlite3 13 segfaults on Node 20).
'use strict'
var major = Number(process.versions.node.split('.')[0])
var minor = Number(process.versions.node.split('.')[1])
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    'ndr-assistant needs Node.js 22.12 or newer; this is Node.js ' +
      process.versions.node +
      ".\nRun it through npm so the project's own Node 22 is used: `npx ndr-assistant " +
      process.argv.slice(2).join(' ') +
      '` (after `npm install`), or install Node 22.\n',
  )
  process.exit(3)
}
var path = require('path')
var fs = require('fs')
var entry = path.join(__dirname, '..', '..', 'out', 'main', 'cli.js')
if (!fs.existsSync(entry)) {
  process.stderr.write('ndr-assistant is not built yet: run `npm run build` first.\n')
  process.exit(3)
}
// A reader that stops early (`ndr-assistant cases | head`) closes the pipe: stop quietly, as other
// command-line tools do, instead of dying on an unhandled EPIPE with a stack trace.
process.stdout.on('error', function (e) {
  if (e && e.code === 'EPIPE') process.exit(process.exitCode || 0)
  throw e
})
import(require('url').pathToFileURL(entry).href)
  .then(function (m) {
    return m.main(process.argv.slice(2))
  })
  .then(function (code) {
    process.exitCode = code
  })
  .catch(function (e) {
    process.stderr.write('ndr-assistant: ' + (e && e.stack ? e.stack : String(e)) + '\n')
    process.exitCode = 1
  })
