#!/usr/bin/env node
import {execute, settings} from '@oclif/core'

import {hoistLeadingFlags} from './leading-flags.js'

// What runs is always the compiled dist/, whatever NODE_ENV says: oclif would look for TypeScript sources otherwise.
settings.enableAutoTranspile = false
await execute({args: hoistLeadingFlags(process.argv.slice(2), process.env), dir: import.meta.url})
