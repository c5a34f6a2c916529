import {describe, expect, it} from 'vitest'

import {PyFloat, pyRepr, pyStr, tuple} from '../../src/template/index.js'

describe('Python str() and repr() of values', () => {
  it.each([
    [null, 'None'],
    [true, 'True'],
    [false, 'False'],
    [42, '42'],
    [-7, '-7'],
    [1e21, '1000000000000000000000'],
    [2.5, '2.5'],
    [new PyFloat(2), '2.0'],
    [new PyFloat(-0), '-0.0'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1e-4, '0.0001'],
    [1e-5, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [new PyFloat(1e15), '1000000000000000.0'],
    [new PyFloat(1e16), '1e+16'],
    [new PyFloat(1.25e100), '1.25e+100'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [Number.NaN, 'nan'],
    ['text', 'text'],
    [['a', 1, null], "['a', 1, None]"],
    [tuple([1]), '(1,)'],
    [tuple([1, 'b']), "(1, 'b')"],
    [tuple([]), '()'],
    [{k: [true], "it's": {}}, `{'k': [True], "it's": {}}`],
  ])('str(%j) is %s', (value, expected) => {
    expect(pyStr(value)).toBe(expected)
  })

  it.each([
    ['plain', "'plain'"],
    ["it's", `"it's"`],
    [`it's "quoted"`, `'it\\'s "quoted"'`],
    ['tab\tnew\nline\\', "'tab\\tnew\\nline\\\\'"],
    ['\x00\x7f\x85', "'\\x00\\x7f\\x85'"],
    ['héllo wörld ☃', "'héllo wörld ☃'"],
    ['\u200b', "'\\u200b'"],
  ])('repr(%j) is %s', (value, expected) => {
    expect(pyRepr(value)).toBe(expected)
  })
})
