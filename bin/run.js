#!/usr/bin/env node
import {execute} from '@oclif/core'

import {hoistLeadingFlags} from './leading-flags.js'

await execute({args: hoistLeadingFlags(process.argv.slice(2), process.env), dir: import.meta.url})
