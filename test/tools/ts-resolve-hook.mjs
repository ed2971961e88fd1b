// Lets a plain `node` child process import the project's TypeScript sources directly (for the kill
// tests, which must SIGKILL a real process running the real code, with no build step). Node 22 strips
// or transforms the types (--experimental-transform-types); this hook adds what the project's
// `moduleResolution: Bundler` leaves out: the `.ts` extension (or `/index.ts`) of relative imports.
import { existsSync } from 'node:fs'
import { registerHooks } from 'node:module'
import { fileURLToPath } from 'node:url'

registerHooks({
  resolve(specifier, context, nextResolve) {
    if ((specifier.startsWith('./') || specifier.startsWith('../')) && context.parentURL) {
      for (const suffix of ['.ts', '/index.ts']) {
        const url = new URL(specifier + suffix, context.parentURL)
        if (existsSync(fileURLToPath(url))) return nextResolve(url.href, context)
      }
    }
    return nextResolve(specifier, context)
  },
})
