#!/usr/bin/env node
import {hoistLeadingFlags} from './leading-flags.js'

const args = process.argv.slice(2)
if (args[0] === '__complete') {
  // Every Tab runs this: it completes from the manifest without loading oclif (see src/cli/complete-main.ts).
  const {completeMain} = await import('../dist/src/cli/complete-main.js')
  const words = args.indexOf('--')
  await completeMain(words === -1 ? args.slice(1) : args.slice(words + 1))
} else {
  const {execute, settings} = await import('@oclif/core')
  // What runs is always the compiled dist/, whatever NODE_ENV says: oclif would look for TypeScript sources otherwise.
  settings.enableAutoTranspile = false
  await execute({args: hoistLeadingFlags(args, process.env), dir: import.meta.url})
}
