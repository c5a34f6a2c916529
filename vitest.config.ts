import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    env: {NO_COLOR: '1'},
    hookTimeout: 600_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
    testTimeout: 60_000,
    projects: [
      {extends: true, test: {name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/lab/**']}},
      {
        extends: true,
        test: {
          name: 'lab',
          include: ['test/lab/**/*.test.ts'],
          fileParallelism: false,
          globalSetup: ['test/support/lab-global-setup.ts'],
          testTimeout: 180_000,
        },
      },
    ],
  },
})
