#!/usr/bin/env -S node --import tsx --no-warnings
import {execute} from '@oclif/core'

import {hoistLeadingFlags} from './leading-flags.js'

await execute({args: hoistLeadingFlags(process.argv.slice(2), process.env), development: true, dir: import.meta.url})
