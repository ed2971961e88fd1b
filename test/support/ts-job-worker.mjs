// The backend's job worker (main/backend/job-worker.ts) run from the TypeScript sources, for tests
// that must exercise the real worker pool without a build (out/ is shared and rebuilt by others).
// Node transforms the types itself (module.stripTypeScriptTypes, "transform" mode for the parameter
// properties some sources use); ts-resolve-hook adds the extensions that `moduleResolution: Bundler`
// leaves out, and locale JSON imported without an import attribute is served as a module.
import { readFileSync } from 'node:fs'
import { registerHooks, stripTypeScriptTypes } from 'node:module'
import { fileURLToPath } from 'node:url'
import '../tools/ts-resolve-hook.mjs'

registerHooks({
  load(url, context, nextLoad) {
    if (url.startsWith('file:') && !url.includes('/node_modules/')) {
      if (url.endsWith('.ts')) {
        const source = readFileSync(fileURLToPath(url), 'utf8')
        return {
          format: 'module',
          source: stripTypeScriptTypes(source, { mode: 'transform', sourceUrl: url }),
          shortCircuit: true,
        }
      }
      if (url.endsWith('.json') && context.importAttributes?.type !== 'json') {
        const source = `export default ${readFileSync(fileURLToPath(url), 'utf8')}`
        return { format: 'module', source, shortCircuit: true }
      }
    }
    return nextLoad(url, context)
  },
})

await import('../../main/backend/job-worker.ts')
