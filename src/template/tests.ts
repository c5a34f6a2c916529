import {arithmetic} from './arithmetic.js'
import {compare, hashKey, pyContains, pyEquals, type ComparisonOperator} from './compare.js'
import type {Test} from './environment.js'
import {TemplateFault} from './fault.js'
import {defineTest, text} from './filters/define.js'
import {withCollectionNames} from './filters/index.js'
import {regexMatches} from './filters/regex.js'
import {pyStr} from './repr.js'
import {Undefined} from './undefined.js'
import {
  PyCallable,
  checkDefined,
  failUndefined,
  isFloat,
  isInt,
  isMapping,
  isNumeric,
  iterate,
  numberOf,
  truthy,
} from './values.js'
import {compareVersions} from './version.js'

function comparison(operator: ComparisonOperator): Test {
  return defineTest(['other'], 1, (value, other) => compare(operator, value, other))
}

function isLower(value: unknown): boolean {
  const shown = pyStr(value)
  return /\p{Ll}/u.test(shown) && !/[\p{Lu}\p{Lt}]/u.test(shown)
}

function isUpper(value: unknown): boolean {
  const shown = pyStr(value)
  return /\p{Lu}/u.test(shown) && !/[\p{Ll}\p{Lt}]/u.test(shown)
}

/** ansible.module_utils.parsing.convert_bool.boolean, or undefined for a value it rejects. */
function convertBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  const normalized = typeof value === 'string' ? value.toLowerCase().trim() : value
  if (['y', 'yes', 'on', '1', 'true', 't'].includes(normalized as string)) return true
  if (['n', 'no', 'off', '0', 'false', 'f'].includes(normalized as string)) return false
  if (isNumeric(normalized)) {
    const number = numberOf(normalized)
    if (number === 1) return true
    if (number === 0) return false
  }
  return undefined
}

function truthyTest(value: unknown, convert: unknown): boolean {
  if (convert !== undefined && truthy(convert)) {
    const converted = convertBool(value)
    if (converted !== undefined) return converted
  }
  return truthy(value)
}

/** Python's set(items): the hashable items, or the TypeError for an unhashable one. */
function hashSet(value: unknown): Set<string> {
  return new Set(iterate(value).map(hashKey))
}

function regexTest(anchored: boolean | undefined): Test {
  return defineTest(
    anchored === undefined
      ? ['pattern', 'ignorecase', 'multiline', 'match_type']
      : ['pattern', 'ignorecase', 'multiline'],
    0,
    (value, pattern, ignorecase, multiline, matchType) =>
      regexMatches(value, pattern ?? '', ignorecase, multiline, anchored ?? matchType === 'match'),
  )
}

/** Ansible answers `'x' is filter` for an unknown name by failing to load it. */
function known(found: boolean, name: unknown): boolean {
  if (!found) throw new TemplateFault(`Could not load "${pyStr(name)}"`)
  return true
}

const JINJA_TESTS: Record<string, Test> = {
  '!=': comparison('ne'),
  '<': comparison('lt'),
  '<=': comparison('lteq'),
  '==': comparison('eq'),
  '>': comparison('gt'),
  '>=': comparison('gteq'),
  boolean: defineTest([], 0, (value) => typeof value === 'boolean'),
  callable: defineTest([], 0, (value) => value instanceof PyCallable),
  defined: defineTest([], 0, (value) => !(value instanceof Undefined)),
  divisibleby: defineTest(['num'], 1, (value, num) => pyEquals(arithmetic('mod', value, num), 0)),
  eq: comparison('eq'),
  equalto: comparison('eq'),
  escaped: defineTest([], 0, () => false),
  even: defineTest([], 0, (value) => pyEquals(arithmetic('mod', value, 2), 0)),
  false: defineTest([], 0, (value) => value === false),
  filter: (value, _args, _kwargs, context) => known(context.hasFilter(text(value, 'filter name')), value),
  float: defineTest([], 0, (value) => isFloat(value)),
  ge: comparison('gteq'),
  greaterthan: comparison('gt'),
  gt: comparison('gt'),
  in: defineTest(['seq'], 1, (value, seq) => pyContains(seq, value)),
  integer: defineTest([], 0, (value) => isInt(value)),
  iterable: defineTest([], 0, (value) => {
    if (value instanceof Undefined) failUndefined(value)
    return typeof value === 'string' || Array.isArray(value) || isMapping(value)
  }),
  le: comparison('lteq'),
  lessthan: comparison('lt'),
  lower: defineTest([], 0, isLower),
  lt: comparison('lt'),
  mapping: defineTest([], 0, (value) => isMapping(value)),
  ne: comparison('ne'),
  none: defineTest([], 0, (value) => value === null),
  number: defineTest([], 0, (value) => isNumeric(value)),
  odd: defineTest([], 0, (value) => pyEquals(arithmetic('mod', value, 2), 1)),
  sameas: defineTest(['other'], 1, (value, other) => value === other),
  sequence: defineTest([], 0, (value) => typeof value === 'string' || Array.isArray(value) || isMapping(value)),
  string: defineTest([], 0, (value) => typeof value === 'string'),
  test: (value, _args, _kwargs, context) => known(context.hasTest(text(value, 'test name')), value),
  true: defineTest([], 0, (value) => value === true),
  undefined: defineTest([], 0, (value) => value instanceof Undefined),
  upper: defineTest([], 0, isUpper),
}

const ANSIBLE_TESTS: Record<string, Test> = {
  abs: defineTest([], 0, (value) => text(checkDefined(value), 'path').startsWith('/')),
  all: defineTest([], 0, (value) => iterate(value).every((item) => truthy(item))),
  any: defineTest([], 0, (value) => iterate(value).some((item) => truthy(item))),
  contains: defineTest(['value'], 1, (seq, value) => pyContains(seq, value)),
  falsy: defineTest(['convert_bool'], 0, (value, convert) => !truthyTest(value, convert)),
  is_abs: defineTest([], 0, (value) => text(checkDefined(value), 'path').startsWith('/')),
  isnan: defineTest([], 0, (value) => isNumeric(value) && Number.isNaN(numberOf(value))),
  issubset: defineTest(['b'], 1, (a, b) => [...hashSet(a)].every((item) => hashSet(b).has(item))),
  issuperset: defineTest(['b'], 1, (a, b) => [...hashSet(b)].every((item) => hashSet(a).has(item))),
  match: regexTest(true),
  nan: defineTest([], 0, (value) => isNumeric(value) && Number.isNaN(numberOf(value))),
  regex: regexTest(undefined),
  search: regexTest(false),
  subset: defineTest(['b'], 1, (a, b) => [...hashSet(a)].every((item) => hashSet(b).has(item))),
  superset: defineTest(['b'], 1, (a, b) => [...hashSet(b)].every((item) => hashSet(a).has(item))),
  truthy: defineTest(['convert_bool'], 0, truthyTest),
  vault_encrypted: defineTest([], 0, () => false),
  version: defineTest(['version', 'operator', 'strict', 'version_type'], 1, versionTest),
  version_compare: defineTest(['version', 'operator', 'strict', 'version_type'], 1, versionTest),
}

function versionTest(value: unknown, version: unknown, operator: unknown, strict: unknown, type: unknown): boolean {
  if (strict !== undefined && strict !== null && type !== undefined && type !== null) {
    throw new TemplateFault("Cannot specify both 'strict' and 'version_type'")
  }
  if (!truthy(value)) throw new TemplateFault('Input version value cannot be empty')
  if (!truthy(version)) throw new TemplateFault('Version parameter to compare against cannot be empty')
  return compareVersions(pyStr(value), pyStr(version), operator === undefined ? 'eq' : pyStr(operator), {
    strict: strict !== undefined && strict !== null && truthy(strict),
    type: type === undefined || type === null ? undefined : pyStr(type),
  })
}

/** Jinja2's tests and Ansible's (ansible.builtin) tests that goldentooth provides. */
export const TESTS: ReadonlyMap<string, Test> = withCollectionNames({...JINJA_TESTS, ...ANSIBLE_TESTS}, (name) =>
  Object.hasOwn(ANSIBLE_TESTS, name),
)
