import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // The machines have two cores shared with a browser and a backend: poll patiently.
          expect: { poll: { timeout: 15_000, interval: 100 } },
          // One browser and one backend at a time: the machines have two cores.
          fileParallelism: false,
        },
      },
    ],
  },
})
