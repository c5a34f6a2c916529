/**
 * Every end-to-end test runs the built CLI (bin/run.js → dist/), so the run starts by building it from the sources.
 * tsc writes JavaScript even when it finds type errors: any error, in the sources or in the tests, stops the run here.
 */
import {execa} from 'execa'

import {ROOT} from './cli.js'

export default async function setup(): Promise<void> {
  // Both projects (unit, lab) list this setup; one build serves the whole run.
  if (process.env.GOLDENTOOTH_TEST_BUILT) return
  for (const script of ['build', 'typecheck']) {
    const result = await execa('npm', ['run', '--silent', script], {all: true, cwd: ROOT, reject: false})
    if (result.exitCode !== 0)
      throw new Error(`npm run ${script} failed; no test runs on a build that is not clean:\n${result.all}`)
  }
  process.env.GOLDENTOOTH_TEST_BUILT = '1'
}
