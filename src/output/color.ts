import {Chalk} from 'chalk'

/** The one colour instance: off under NO_COLOR, --no-color, or when stdout is not a terminal (chalk ignores NO_COLOR). */
export const color = new Chalk(process.env.NO_COLOR || process.argv.includes('--no-color') ? {level: 0} : {})
