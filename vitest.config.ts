import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    env: {NO_COLOR: '1'},
    hookTimeout: 600_000,
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
    testTimeout: 60_000,
  },
})
