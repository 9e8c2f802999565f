import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    // `npm test -- --coverage` (CI does): v8 coverage of the shipped code; below a threshold the run fails.
    coverage: {
      provider: 'v8',
      include: ['lib/**/*.ts', 'functions/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
      // Today's level, rounded down to the half percent (measured 2026-12-02: statements 93.71, branches 86.49,
      // functions 94.91, lines 94.93). Raise them when coverage rises; never lower them to let a change in.
      thresholds: { statements: 93.5, branches: 86, functions: 94.5, lines: 94.5 },
    },
  },
})
