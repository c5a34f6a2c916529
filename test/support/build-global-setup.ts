/**
 * Every end-to-end test runs the built CLI (bin/run.js → dist/), so the run starts by building it from the sources.
 * tsc still writes JavaScript when it finds type errors: those are reported here and the tests decide.
 */
import {execa} from 'execa'

import {ROOT} from './cli.js'

export default async function setup(): Promise<void> {
  const build = await execa('npm', ['run', '--silent', 'build'], {all: true, cwd: ROOT, reject: false})
  if (build.exitCode !== 0) process.stderr.write(`npm run build reported problems:\n${build.all}\n`)
}
