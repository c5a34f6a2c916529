/** Every end-to-end test runs the built CLI (bin/run.js → dist/), so the run starts by building it from the sources. */
import {execa} from 'execa'

import {ROOT} from './cli.js'

export default async function setup(): Promise<void> {
  await execa('npm', ['run', '--silent', 'build'], {cwd: ROOT, stdio: 'inherit'})
}
