import {pyOrder} from './compare.js'
import {TemplateFault} from './fault.js'
import {tuple} from './values.js'

/** A parsed version: compared element by element as Python compares tuples. */
type Parsed = unknown[]

/** distutils' LooseVersion: numbers compared as numbers, letters as strings ('1.10' > '1.9'). */
function loose(version: string): Parsed {
  return tuple(
    version
      .split(/(\d+|[a-z]+|\.)/)
      .filter((part) => part !== '' && part !== '.')
      .map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
  )
}

/** distutils' StrictVersion: `1.2`, `1.2.3`, `1.2.3a1`; a pre-release sorts before its release. */
function strict(version: string): Parsed {
  const match = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(version)
  if (!match) throw new TemplateFault(`invalid version number '${version}'`)
  const release = [Number(match[1]), Number(match[2]), Number(match[4] ?? 0)]
  const pre = match[5] ? tuple([0, match[5][0], Number(match[6])]) : tuple([1])
  return tuple([tuple(release), pre])
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/

/** Semantic Versioning 2.0.0: numeric pre-release identifiers sort before alphanumeric ones. */
function semantic(version: string): Parsed {
  const match = SEMVER.exec(version)
  if (!match) throw new TemplateFault(`invalid semantic version '${version}'`)
  const core = tuple([Number(match[1]), Number(match[2]), Number(match[3])])
  const pre = match[4]
    ? tuple([
        0,
        tuple(match[4].split('.').map((part) => (/^\d+$/.test(part) ? tuple([0, Number(part)]) : tuple([1, part])))),
      ])
    : tuple([1])
  return tuple([core, pre])
}

const OPERATORS = new Map([
  ['==', 'eq'],
  ['=', 'eq'],
  ['eq', 'eq'],
  ['<', 'lt'],
  ['lt', 'lt'],
  ['<=', 'le'],
  ['le', 'le'],
  ['>', 'gt'],
  ['gt', 'gt'],
  ['>=', 'ge'],
  ['ge', 'ge'],
  ['!=', 'ne'],
  ['<>', 'ne'],
  ['ne', 'ne'],
])

const PARSERS = new Map([
  ['loose', loose],
  ['strict', strict],
  ['semver', semantic],
  ['semantic', semantic],
])

/** Ansible's `version` test: compare two version strings with an operator. */
export function compareVersions(
  value: string,
  other: string,
  operator: string,
  options: {strict: boolean; type: string | undefined},
): boolean {
  const name = OPERATORS.get(operator)
  if (!name) {
    throw new TemplateFault(
      `Invalid operator type (${operator}). Must be one of ${[...OPERATORS.keys()].map((key) => `'${key}'`).join(', ')}`,
    )
  }
  const parse = options.strict ? strict : PARSERS.get(options.type ?? 'loose')
  if (!parse) {
    throw new TemplateFault(
      `Invalid version type (${options.type}). Must be one of 'loose', 'strict', 'semver', 'semantic' (pep440 is not supported)`,
    )
  }
  let order: number
  try {
    order = pyOrder(parse(value), parse(other))
  } catch (error) {
    if (!(error instanceof TemplateFault)) throw error
    throw new TemplateFault(`Version comparison failed: ${error.message}`)
  }
  if (name === 'eq') return order === 0
  if (name === 'ne') return order !== 0
  if (name === 'lt') return order < 0
  if (name === 'le') return order <= 0
  if (name === 'gt') return order > 0
  return order >= 0
}
