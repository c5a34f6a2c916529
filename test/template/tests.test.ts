import {describe, expect, it} from 'vitest'

import {failure, value} from './scope.js'

const VARS = {d: {a: 1}, f: 1.5, l: [1, 2], n: 4, none: null, s: 'Text', t: true}

/** [test expression, expected] for each test. */
const CASES: [string, boolean][] = [
  ['x is defined', false],
  ['n is defined', true],
  ['x is undefined', true],
  ['none is none', true],
  ['n is none', false],
  ['s is string', true],
  ['n is string', false],
  ['n is number', true],
  ['t is number', true],
  ['f is number', true],
  ['n is integer', true],
  ['t is integer', false],
  ['f is float', true],
  ['2.0 is float', true],
  ['t is boolean', true],
  ['n is boolean', false],
  ['t is true', true],
  ['1 is true', false],
  ['false is false', true],
  ['d is mapping', true],
  ['l is mapping', false],
  ['l is iterable', true],
  ['s is iterable', true],
  ['n is iterable', false],
  ['l is sequence', true],
  ['d is sequence', true],
  ['n is sequence', false],
  ['n is even', true],
  ['n is odd', false],
  ['n is divisibleby 2', true],
  ['n is divisibleby(3)', false],
  ['1 is in l', true],
  ['l is contains 2', true],
  ['n is eq 4', true],
  ['n is ne 4', false],
  ['n is gt 3', true],
  ['n is ge 4', true],
  ['n is lt 4', false],
  ['n is le 4', true],
  ['n is greaterthan 1', true],
  ['n is lessthan 1', false],
  ['n is equalto 4', true],
  ["'abc' is lower", true],
  ["'ABC' is upper", true],
  ["'Abc' is lower", false],
  ["'node-1' is match('node')", true],
  ["'a node-1' is match('node')", false],
  ["'a node-1' is search('node-\\d')", true],
  ["'NODE' is search('node', ignorecase=true)", true],
  ["'ab' is regex('^a.$')", true],
  ["'1.20.5' is version('1.9', '>')", true],
  ["'1.2' is version('1.2.0', '==')", false],
  ["'1.2' is version('1.2.0', 'eq', strict=true)", true],
  ["'1.0.0-rc.1' is version('1.0.0', '<', version_type='semver')", true],
  ["'1.10' is version_compare('1.9', 'lt')", false],
  ["'yes' is truthy", true],
  ["'no' is truthy(convert_bool=true)", false],
  ['0 is falsy', true],
  ['[1] is subset([1, 2])', true],
  ['[1, 3] is superset([3])', true],
  ['[1, 0] is all', false],
  ['[1, 0] is any', true],
  ["'upper' is filter", true],
  ["'odd' is test", true],
  ['none is sameas none', true],
  ['s.upper is callable', true],
  ['s is escaped', false],
  ["'/etc' is abs", true],
  ['f is nan', false],
  ['s is vault_encrypted', false],
  ['n is not defined', false],
]

describe('tests', () => {
  it.each(CASES)('%s', (expression, expected) => {
    expect(value(`{{ ${expression} }}`, VARS)).toBe(expected)
  })

  it('can be named by operator in select', () => {
    expect(value("{{ [1, 2, 3] | select('==', 2) | list }}|{{ [1, 2, 3] | reject('>=', 2) | list }}")).toBe('[2]|[1]')
  })

  it('fail as Ansible does for values they cannot take', () => {
    expect(failure(() => value("{{ 'a' is odd }}")).problem).toBe(
      'not all arguments converted during string formatting',
    )
    expect(failure(() => value("{{ '1.0' is version('x', 'lt') }}")).problem).toBe(
      "Version comparison failed: '<' not supported between instances of 'int' and 'str'",
    )
    expect(failure(() => value("{{ 'a' is version('1', 'about') }}")).problem).toContain(
      'Invalid operator type (about)',
    )
    expect(failure(() => value('{{ x is iterable }}')).kind).toBe('undefined')
    expect(failure(() => value("{{ 'nope' is filter }}")).problem).toBe('Could not load "nope"')
    expect(failure(() => value('{{ [[1]] is subset([]) }}')).problem).toBe("unhashable type: 'list'")
  })
})
