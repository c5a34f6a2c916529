import {describe, expect, it} from 'vitest'

import {InvalidInputError} from '../../src/core/errors.js'
import {failure, render, value} from './scope.js'

describe('syntax errors', () => {
  it.each([
    ['{{ 1 + }}', 1, 8, "unexpected 'end of print statement'"],
    ['{{ }}', 1, 4, "Expected an expression, got 'end of print statement'"],
    ['a\nb {{ (1 }}', 2, 9, "unexpected '}', expected ')'"],
    ['{{ x | }}', 1, 8, "expected token 'name', got 'end of print statement'"],
    ["{{ 'open }}", 1, 4, 'unexpected char "\'"'],
    ['{{ x ! y }}', 1, 6, 'unexpected char "!"'],
    ['{{ a.(b) }}', 1, 6, 'expected name or number'],
    ['{{ x is odd is even }}', 1, 13, 'You cannot chain multiple tests with is'],
    [
      '{% if x %}\nbody',
      2,
      5,
      "Unexpected end of template. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.",
    ],
    [
      '{% for x in y %}{% endif %}',
      1,
      20,
      "Encountered unknown tag 'endif'. Jinja was looking for the following tags: 'endfor' or 'else'.",
    ],
    ['{% frobnicate %}', 1, 4, "Encountered unknown tag 'frobnicate'."],
    ['{% macro m() %}{% endmacro %}', 1, 4, "the 'macro' tag is not supported"],
    ['{% include "x.j2" %}', 1, 4, "the 'include' tag is not supported"],
    ['{% for x in y recursive %}{% endfor %}', 1, 15, 'recursive loops are not supported'],
    ['{% set ns.x %}{% endset %}', 1, 13, 'expected = after a namespace attribute'],
    ['{% set 1 = 2 %}', 1, 8, "can't assign to 'const'"],
    ['{# never closed', 1, 1, 'Missing end of comment tag'],
    ['{% raw %} never closed', 1, 1, 'Missing end of raw directive'],
    ['{{ x', 1, 5, 'unexpected end of template'],
    ["{{ '\\x4' }}", 1, 4, 'truncated \\xXX escape'],
  ])('%j: %s', (template, line, col, problem) => {
    const error = failure(() => render(template))
    expect(error.kind).toBe('syntax')
    expect(error.problem).toContain(problem)
    expect([error.line, error.col]).toEqual([line, col])
    expect(error).toBeInstanceOf(InvalidInputError)
    expect(error.exitCode).toBe(3)
    expect(error.location).toEqual({col, file: 'role/file.j2', line})
    expect(error.message).toMatch(new RegExp(`^role/file\\.j2:${line}:${col}: syntax error: `))
    expect(error.message).not.toContain('\n')
  })

  it('names an unknown filter or test where it is used, even in a branch never taken', () => {
    expect(failure(() => render('{{ x | nope }}')).problem).toBe("unknown filter 'nope'")
    expect(failure(() => render('{{ 1 if true else (x | nope(1)) }}'))).toMatchObject({col: 24, line: 1})
    expect(failure(() => render('\n {{ x is nope }}'))).toMatchObject({col: 7, line: 2, problem: "unknown test 'nope'"})
  })

  it('Ansible filters and tests also answer to their collection name; Jinja2 ones do not', () => {
    expect(value("{{ 'a' | ansible.builtin.to_json }}")).toBe('"a"')
    expect(value('{{ [1] is ansible.builtin.contains 1 }}')).toBe(true)
    expect(failure(() => value("{{ 'a' | ansible.builtin.upper }}")).problem).toBe(
      "unknown filter 'ansible.builtin.upper'",
    )
  })
})

describe('whitespace control and trim_blocks', () => {
  it.each([
    ['a\n{% if true %}\nb\n{% endif %}\nc\n', 'a\nb\nc\n'],
    ['a\n  {% if true %}\n  b\n  {% endif %}\nc', 'a\n    b\n  c'],
    ['x {{- " y " -}}  z', 'x y z'],
    ['x {{ "y" }}\nz', 'x y\nz'],
    ['a  {%- if true -%}  b  {%- endif -%}  c', 'abc'],
    ['a {#- comment -#} b', 'ab'],
    ['a {# comment #}\nb', 'a b'],
    ['{% if true +%}\nb{% endif %}', '\nb'],
    ['  {%+ if true %}b{% endif %}', '  b'],
    ['{% raw %}{{ x }} {% if %}{% endraw %}', '{{ x }} {% if %}'],
    ['a {%- raw -%} {{ x }} {%- endraw -%} b', 'a{{ x }}b'],
    ['{% raw %}\nkept{% endraw %}\nnext', '\nkeptnext'],
  ])('%j renders %j', (template, expected) => {
    expect(render(template)).toBe(expected)
  })

  it('keeps the template trailing newlines (Ansible adds back what Jinja2 drops)', () => {
    expect(render('x\n')).toBe('x\n')
    expect(render('x\n\n\n')).toBe('x\n\n\n')
    expect(render('x')).toBe('x')
    expect(render('{{ v }}\n', {v: 'a\n'})).toBe('a\n')
    expect(value('{{ "a" }}\n\n')).toBe('a\n\n')
  })

  it('reads CRLF and CR line ends as newlines', () => {
    expect(render('a\r\n{% if true %}\r\nb\r\n{% endif %}\r\n')).toBe('a\nb\n')
    expect(failure(() => render('a\r\nb\r\n{{ 1 + }}')).line).toBe(3)
  })

  it('balances brackets inside {{ }} so a dict literal can end in }}', () => {
    expect(value("{{ {'a': {'b': 1}} }}")).toEqual({a: {b: 1}})
  })
})

describe('string literals', () => {
  it('decode escapes in role templates and blocks, as Jinja2 does', () => {
    expect(render("{{ 'a\\tb\\n\\'c\\' \\x41\\u00e9' }}")).toBe("a\tb\n'c' Aé")
    expect(render('{{ "say \\"hi\\"" }}')).toBe('say "hi"')
  })

  it("keep their backslashes in variable templates' {{ }} (Ansible doubles them first)", () => {
    expect(value("{{ 'a.b' | regex_replace('\\.', '-') }}")).toBe('a-b')
    expect(value("{{ 'x\\ny' }}")).toBe('x\\ny')
    expect(value("{% set s = 'x\\ty' %}{{ s }}")).toBe('x\ty')
  })

  it('concatenate when adjacent', () => {
    expect(value("{{ 'a' \"b\" 'c' }}")).toBe('abc')
  })
})
