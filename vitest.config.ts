import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    env: {GOLDENTOOTH_OFFLINE: '1', NO_COLOR: '1'},
    hookTimeout: 600_000,
    pool: 'forks',
    reporters: ['default', ['json', {outputFile: '.vitest-results.json'}]],
    testTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          exclude: ['test/lab/**'],
          globalSetup: ['test/support/build-global-setup.ts'],
          include: ['test/**/*.test.ts'],
          name: 'unit',
        },
      },
      {
        extends: true,
        test: {
          name: 'lab',
          include: ['test/lab/**/*.test.ts'],
          globalSetup: ['test/support/build-global-setup.ts', 'test/support/lab-global-setup.ts'],
          poolOptions: {forks: {singleFork: true}},
          testTimeout: 180_000,
        },
      },
    ],
  },
})
