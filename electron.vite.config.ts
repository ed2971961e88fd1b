import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

// One build serves both shells: Electron loads out/renderer through a custom protocol, browser mode
// (`ndr-assistant serve`) serves the very same files over loopback HTTP.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          electron: resolve('main/electron/main.ts'),
          cli: resolve('main/cli/index.ts'),
          start: resolve('main/cli/start.ts'),
          'job-worker': resolve('main/backend/job-worker.ts'),
          // Worker threads of `ndr-assistant parse` (one per core for large mbox files).
          'parse-cli-worker': resolve('main/cli/parse-cli-worker.ts'),
        },
        external: ['better-sqlite3', 'electron'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: resolve('main/electron/preload.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    base: './',
    build: {
      outDir: resolve('out/renderer'),
      rollupOptions: { input: resolve('renderer/index.html') },
      chunkSizeWarningLimit: 4000,
    },
    plugins: [react()],
  },
})
