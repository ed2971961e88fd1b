import { ESLint } from 'eslint'
import { describe, expect, test } from 'vitest'
import { REPO_ROOT } from '../../support/tmp'

// The runtime boundaries are lint rules; this proves they fire, so a config change cannot silently
// turn them off.
const eslint = new ESLint({ cwd: REPO_ROOT })
async function ruleMessages(code: string, filePath: string, rule: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}${filePath}` })
  return (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => m.message)
}

async function restrictedImports(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}${filePath}` })
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message)
}

describe('import boundaries', () => {
  test.each([
    ["import { readFileSync } from 'node:fs'", 'IO-free'],
    ["import fs from 'fs'", 'IO-free'],
    ["import { app } from 'electron'", 'IO-free'],
    ["import Database from 'better-sqlite3'", 'IO-free'],
    ["import { useState } from 'react'", 'IO-free'],
    ["import { createBackend } from '../../backend/backend'", 'may not depend'],
  ])('main/core refuses %s', async (line, message) => {
    const found = await restrictedImports(
      `${line}\nexport const x = 1\n`,
      'main/core/api/contract.ts',
    )
    expect(found.join(' ')).toContain(message)
  })

  test('the renderer may not import the main process, only the contract', async () => {
    const file = 'renderer/src/App.tsx'
    expect(
      await restrictedImports("import { createBackend } from '../../main/backend/backend'\n", file),
    ).not.toEqual([])
    expect(
      await restrictedImports("import { parseBounce } from '../../main/core/parse'\n", file),
    ).not.toEqual([])
    expect(
      await restrictedImports(
        "import type { BounceResult } from '../../main/core/parse/types'\n",
        file,
      ),
    ).toEqual([])
    expect(
      await restrictedImports("import { METHODS } from '../../main/core/api/contract'\n", file),
    ).toEqual([])
    expect(await restrictedImports("import { readFileSync } from 'node:fs'\n", file)).not.toEqual(
      [],
    )
  })
})

describe('security lint rules (issue 7)', () => {
  test.each([
    ["import { ipcMain } from 'electron'\nexport const x = ipcMain", 'main/electron/window.ts'],
    [
      "import { ipcRenderer } from 'electron'\nexport const x = ipcRenderer",
      'main/electron/menu.ts',
    ],
    ["import { shell } from 'electron'\nexport const x = shell", 'main/electron/main.ts'],
    [
      'export const f = (el: HTMLElement, s: string) => { el.innerHTML = s }',
      'renderer/src/download.ts',
    ],
    [
      'export const C = (p: { h: string }) => <div dangerouslySetInnerHTML={{ __html: p.h }} />',
      'renderer/src/App.tsx',
    ],
  ])('%s is refused in %s', async (code, file) => {
    expect(await ruleMessages(code, file, 'no-restricted-syntax')).not.toEqual([])
  })

  test('the wrappers may use what they wrap', async () => {
    expect(
      await ruleMessages(
        "import { shell } from 'electron'\nexport const x = shell",
        'main/electron/external.ts',
        'no-restricted-syntax',
      ),
    ).toEqual([])
  })
})

describe('regular expressions (issue 7, ReDoS)', () => {
  // Paths of real files: the type-aware parser only lints files its project knows.
  test.each([
    [
      'regexp/no-super-linear-backtracking',
      "export const r = /(\\w+)+\\d/.test('x')",
      'main/core/parse/extract.ts',
    ],
    [
      'regexp/no-super-linear-move',
      "export const f = (s: string) => s.replace(/a+$/, '')",
      'main/core/connectors/import.ts',
    ],
    [
      'regexp/no-super-linear-move',
      "export const r = /\\s*,\\s*$/.test('x')",
      'renderer/src/download.ts',
    ],
  ])('%s fires on %s', async (rule, code, file) => {
    expect(await ruleMessages(code, file, rule)).not.toEqual([])
  })
})
