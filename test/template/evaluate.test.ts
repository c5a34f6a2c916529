import {describe, expect, it} from 'vitest'

import {PyFloat, Undefined, tuple} from '../../src/template/index.js'
import {failure, render, value} from './scope.js'

const VARS = {
  d: {a: 1, items: 'a key named items', nested: {list: [10, 20, 30]}},
  empty: [],
  f: 2.5,
  n: 7,
  names: ['alpha', 'beta', 'gamma'],
  s: 'Hello World',
}

describe('Python value semantics', () => {
  it.each([
    ['1 + 2', 'int:3'],
    ['1 + 2.0', 'float:3.0'],
    ['10 / 5', 'float:2.0'],
    ['7 / 2', 'float:3.5'],
    ['7 // 2', 'int:3'],
    ['-7 // 2', 'int:-4'],
    ['7.5 // 2', 'float:3.0'],
    ['-7 % 3', 'int:2'],
    ['7 % -3', 'int:-2'],
    ['2 ** 10', 'int:1024'],
    ['2 ** -1', 'float:0.5'],
    ['2 ** 3 ** 2', 'int:64'],
    ['-2 ** 2', 'int:4'],
    ['true + true', 'int:2'],
    ["'ab' * 2", 'str:abab'],
    ['[1] * 2', 'list:[1, 1]'],
    ["'a' ~ 1 ~ none ~ true", 'str:a1NoneTrue'],
    ['[1] + [2]', 'list:[1, 2]'],
    ['0.1 + 0.2', 'float:0.30000000000000004'],
    ['1e20', 'float:1e+20'],
    ['-n', 'int:-7'],
    ['+f', 'float:2.5'],
  ])('%s is %s', (expression, expected) => {
    expect(value(`{{ (${expression}) | type_debug }}:{{ ${expression} }}`, VARS)).toBe(expected)
  })

  it.each([
    ['1 / 0', 'division by zero'],
    ['1.0 // 0', 'float floor division by zero'],
    ['5 % 0', 'integer division or modulo by zero'],
    ["'a' + 1", 'can only concatenate str (not "int") to str'],
    ["1 + 'a'", "unsupported operand type(s) for +: 'int' and 'str'"],
    ["'a' * 1.5", "can't multiply sequence by non-int of type 'float'"],
    ["1 < 'a'", "'<' not supported between instances of 'int' and 'str'"],
    ["-'a'", "bad operand type for unary -: 'str'"],
    ['s()', "'str' object is not callable"],
    ["1 in 'abc'", "'in <string>' requires string as left operand, not int"],
    ['1 in 5', "argument of type 'int' is not iterable"],
  ])('%s fails: %s', (expression, problem) => {
    const error = failure(() => value(`{{ ${expression} }}`, VARS))
    expect(error.kind).toBe('error')
    expect(error.problem).toBe(problem)
  })

  it('truth and boolean operators follow Python (and/or return an operand)', () => {
    expect(
      value("{{ 'y' if [] else 'n' }}{{ 'y' if {} else 'n' }}{{ 'y' if '' else 'n' }}{{ 'y' if 0.0 else 'n' }}"),
    ).toBe('nnnn')
    expect(value("{{ 'y' if [0] else 'n' }}{{ 'y' if ' ' else 'n' }}")).toBe('yy')
    expect(value("{{ '' or 'x' }}|{{ 0 and 'x' }}|{{ 'a' and 'b' }}|{{ not none }}")).toBe('x|0|b|True')
  })

  it('compares deeply and chains comparisons', () => {
    expect(value('{{ [1, {"a": [2]}] == [1, {"a": [2]}] }}')).toBe(true)
    expect(value('{{ {"a": 1, "b": 2} == {"b": 2, "a": 1} }}')).toBe(true)
    expect(value('{{ 1 == 1.0 == true }}')).toBe(true)
    expect(value('{{ (1, 2) == [1, 2] }}')).toBe(false)
    expect(value('{{ [1, 2] < [1, 3] }}')).toBe(true)
    expect(value('{{ 1 < 2 > 0 }}')).toBe(true)
    expect(value("{{ 'b' in 'abc' and 'x' not in names and 'a' in d }}", VARS)).toBe(true)
  })

  it('reads attributes as Jinja2 does: Python attribute first for x.y, the item first for x[y]', () => {
    expect(value('{{ d.a }}|{{ d["a"] }}|{{ d.nested.list.1 }}|{{ d.nested.list[-1] }}', VARS)).toBe('1|1|20|30')
    expect(value('{{ d["items"] }}', VARS)).toBe('a key named items')
    expect(value('{{ d.items() | list | first }}', VARS)).toBe("('a', 1)")
    expect(value('{{ names["index"]("beta") }}', VARS)).toBe('1')
  })

  it('slices strings and lists as Python does', () => {
    expect(value('{{ names[1:] }}', VARS)).toEqual(['beta', 'gamma'])
    expect(value('{{ names[::-1] }}', VARS)).toEqual(['gamma', 'beta', 'alpha'])
    expect(value('{{ names[-2:-1] }}', VARS)).toEqual(['beta'])
    expect(value('{{ s[6:] }}|{{ s[::2] }}|{{ s[-1] }}', VARS)).toBe('World|HloWrd|d')
    expect(failure(() => value('{{ names[::0] }}', VARS)).problem).toBe('slice step cannot be zero')
  })

  it('has the Python string, dict and list methods inventories use', () => {
    expect(value("{{ 'a,b,c'.split(',') }}")).toEqual(['a', 'b', 'c'])
    expect(value("{{ ' a  b '.split() }}")).toEqual(['a', 'b'])
    expect(value("{{ 'a.b.c'.rsplit('.', 1) }}")).toEqual(['a.b', 'c'])
    expect(value("{{ '--x--'.strip('-') }}|{{ '  x'.lstrip() }}|{{ 'x  '.rstrip() }}|")).toBe('x|x|x|')
    expect(value("{{ s.startswith('Hell') }} {{ s.endswith(('x', 'd')) }} {{ s.upper() }} {{ s.lower() }}", VARS)).toBe(
      'True True HELLO WORLD hello world',
    )
    expect(value("{{ s.replace('l', 'L', 2) }} {{ s.find('o') }} {{ s.count('o') }} {{ s.title() }}", VARS)).toBe(
      'HeLLo World 4 2 Hello World',
    )
    expect(value("{{ '-'.join(names) }} {{ 'a\\nb'.splitlines() }}", VARS)).toBe("alpha-beta-gamma ['a\\\\nb']")
    expect(render("{{ 'a\\nb'.splitlines() }}")).toBe("['a', 'b']")
    expect(value("{{ '{}-{:03d}-{name}'.format('x', 7, name='n') }}")).toBe('x-007-n')
    expect(value("{{ '%s is %d%%' % ('x', 5) }}")).toBe('x is 5%')
    expect(value('{{ d.keys() | list }} {{ d.get("a") }} {{ d.get("z", 0) }}', VARS)).toBe(
      "['a', 'items', 'nested'] 1 0",
    )
    expect(value('{{ names.index("gamma") }} {{ names.count("beta") }}', VARS)).toBe('2 1')
  })

  it('lets a template change the lists and dicts it creates, not the variables it reads', () => {
    expect(render('{% set x = [] %}{% for n in [3, 1] %}{{ x.append(n) }}{% endfor %}{{ x | sort }}')).toBe('[1, 3]')
    expect(render('{% set d = {} %}{{ d.update({"a": 1}) }}{{ d.setdefault("b", 2) }}{{ d }}')).toBe(
      "2{'a': 1, 'b': 2}",
    )
    expect(failure(() => render('{{ names.append("x") }}', VARS)).problem).toContain('did not create')
  })

  it('provides range(), dict() and says lookup() is not supported', () => {
    expect(value('{{ range(3) }}')).toEqual([0, 1, 2])
    expect(value('{{ range(10, 0, -4) | list }}')).toEqual([10, 6, 2])
    expect(value('{{ dict(a=1) }}')).toEqual({a: 1})
    expect(value("{{ dict([('a', 1)], b=2) }}")).toEqual({a: 1, b: 2})
    expect(failure(() => value("{{ lookup('file', 'x') }}")).problem).toBe(
      "lookup() 'file' is not supported: goldentooth evaluates templates without Ansible's lookup plugins",
    )
  })

  it('treats __proto__ as an ordinary dict key', () => {
    const made = value("{{ {'__proto__': {'a': 1}} | combine({'b': 2}) }}") as Record<string, unknown>
    expect(Object.keys(made)).toEqual(['__proto__', 'b'])
    expect(Object.getPrototypeOf(made)).toBe(Object.prototype)
    expect(value('{{ dict(__proto__=1) | dict2items | first }}')).toEqual({key: '__proto__', value: 1})
  })

  it('makes literals of every kind', () => {
    expect(value("{{ [1, 2.5, 'x', none, true, False, None] }}")).toEqual([1, 2.5, 'x', null, true, false, null])
    expect(value('{{ {"a": (1, 2)} }}')).toEqual({a: [1, 2]})
    expect(value('{{ 0x10 + 0o10 + 0b10 + 1_000 }}')).toBe('1026')
    expect(value('{{ 2.0 }}')).toBe('2.0')
  })
})

describe('statements', () => {
  it('loops with loop variables, unpacking, a filter and else', () => {
    expect(
      render(
        '{% for k, v in {"a": 1, "b": 2}.items() %}{{ loop.index }}/{{ loop.length }} {{ k }}={{ v }}{% if not loop.last %}, {% endif %}{% endfor %}',
      ),
    ).toBe('1/2 a=1, 2/2 b=2')
    expect(render('{% for n in [1, 2, 3, 4] if n is even %}{{ loop.index0 }}:{{ n }} {% endfor %}')).toBe('0:2 1:4 ')
    expect(render('{% for n in [] %}x{% else %}none{% endfor %}')).toBe('none')
    expect(
      render("{% for n in [1, 2, 3] %}{{ loop.revindex }}{{ loop.first }}{{ loop.cycle('a', 'b') }} {% endfor %}"),
    ).toBe('3Truea 2Falseb 1Falsea ')
    expect(render('{% for c in "ab" %}{{ c }}{% endfor %}{% for k in {"x": 1} %}{{ k }}{% endfor %}')).toBe('abx')
  })

  it('scopes set like Jinja2: a loop body starts from the outer value each iteration and does not leak', () => {
    expect(render('{% set x = 0 %}{% for i in [1, 2] %}{% set x = x + i %}{{ x }}{% endfor %}|{{ x }}')).toBe('12|0')
    expect(render('{% if true %}{% set y = 1 %}{% endif %}{{ y }}')).toBe('1')
  })

  it('keeps what a loop sets on a namespace()', () => {
    const total = '{% set ns = namespace(total=0) %}{% for r in [3, 4] %}{% set ns.total = ns.total + r %}{% endfor %}'
    expect(render(`${total}{{ ns.total }} {{ ns }}`)).toBe("7 <Namespace {'total': 7}>")
    expect(failure(() => render('{% set d = {} %}{% set d.x = 1 %}')).problem).toBe(
      'can only set attributes on a namespace object (namespace())',
    )
  })

  it('sets from a block, through filters', () => {
    expect(render('{% set b | upper %}hi {{ "there" }}{% endset %}[{{ b }}]')).toBe('[HI THERE]')
    expect(render('{% set a, b = [1, 2] %}{{ b }}{{ a }}')).toBe('21')
    expect(failure(() => render('{% set a, b = [1] %}')).problem).toBe(
      'not enough values to unpack (expected 2, got 1)',
    )
  })

  it('chooses a branch with if, elif and else', () => {
    const template = '{% if n > 10 %}big{% elif n > 5 %}mid{% else %}small{% endif %}'
    expect([render(template, {n: 11}), render(template, {n: 6}), render(template, {n: 1})]).toEqual([
      'big',
      'mid',
      'small',
    ])
  })

  it('prints None as nothing in output, and values as Python prints them', () => {
    expect(render('[{{ none }}] {{ [none, 1.0, "x"] }} {{ {"k": true} }} {{ (1,) }}')).toBe(
      "[] [None, 1.0, 'x'] {'k': True} (1,)",
    )
  })
})

describe('undefined values (StrictUndefined as Ansible configures it)', () => {
  it('are defined-tested and defaulted without failing, through attribute chains', () => {
    expect(value("{{ x is defined }} {{ x is undefined }} {{ x | default('d') }} {{ x.y.z | default('e') }}")).toBe(
      'False True d e',
    )
    expect(value("{{ d.missing | default('f') }} {{ x is none }} {{ x is string }}", VARS)).toBe('f False False')
  })

  it.each([
    ['{{ x }}', "'x' is undefined", 4],
    ['{{ x + 1 }}', "'x' is undefined", 4],
    ['{{ x ~ "" }}', "'x' is undefined", 4],
    ['{{ x == 1 }}', "'x' is undefined", 4],
    ['{% if x %}{% endif %}', "'x' is undefined", 7],
    ['{% for i in x %}{% endfor %}', "'x' is undefined", 13],
    ['{{ x | length }}', "'x' is undefined", 4],
    ['{{ x | upper }}', "'x' is undefined", 4],
    ['{{ [x] }}', "'x' is undefined", 5],
    ['{{ d.missing }}', "'dict object' has no attribute 'missing'", 5],
    ['{{ names[7] }}', 'list object has no element 7', 9],
    ['{{ x | mandatory }}', "Mandatory variable 'x' not defined.", 8],
  ])('%s fails: %s', (template, problem, col) => {
    const error = failure(() => value(template, VARS))
    expect(error.problem).toBe(problem)
    expect(error.col).toBe(col)
    expect(error.kind).toBe(problem.startsWith('Mandatory') ? 'error' : 'undefined')
  })

  it('the missing else of an inline if is Jinja2 plain undefined: it prints as nothing', () => {
    expect(render("[{{ 'x' if false }}]")).toBe('[]')
    expect(value("{{ ('x' if false) is defined }}")).toBe(false)
    expect(failure(() => value("{{ ('x' if false) + 1 }}")).problem).toContain('evaluated to false')
  })

  it('comes from the scope as an Undefined with a name and a hint', () => {
    const undefinedValue = new Undefined('x', {hint: 'x comes from nowhere'})
    expect(failure(() => value('{{ x }}', {x: undefinedValue})).problem).toBe('x comes from nowhere')
  })
})

describe('templateValue (Templar.template with convert_data)', () => {
  it('returns a string without template syntax as it is, and lists and dicts templated element by element', () => {
    expect(value('plain {text}')).toBe('plain {text}')
    const scope = {n: 1}
    expect(value('{{ n }}', scope)).toBe(1)
    expect(value('{{ n + 1 }}', scope)).toBe('2')
  })

  it('returns a variable that is a number, a bool or None as it is when the template is just {{ name }}', () => {
    expect(value('{{ n }}', {n: 5})).toBe(5)
    expect(value('{{ b }}', {b: false})).toBe(false)
    expect(value('{{ z }}', {z: null})).toBeNull()
    expect(value('{{ f }}', {f: new PyFloat(2)})).toEqual(new PyFloat(2))
    expect(value('{{ n }} ', {n: 5})).toBe('5 ')
  })

  it('reads text that looks like a list, a dict or a bool back as one (ansible_eval_concat)', () => {
    expect(value("{{ '[1, 2]' }}")).toEqual([1, 2])
    expect(value('{{ \'{"a": true, "b": null}\' }}')).toEqual({a: true, b: null})
    expect(value('[{{ 1 }}, {{ 2 }}]')).toEqual([1, 2])
    expect(value("{{ 'True' }}")).toBe(true)
    expect(value("{{ 'None' }}")).toBe('None')
    expect(value("{{ ' [1]' }}")).toBe(' [1]')
    expect(value("{{ '[1, 2' }}")).toBe('[1, 2')
    expect(value('{{ (1, 2) }}')).toBe('(1, 2)')
    expect(value('{{ [1.0] }}')).toEqual([new PyFloat(1)])
    expect(value('{{ [(1, 2)] }}')).toEqual([tuple([1, 2])])
  })

  it('keeps the output of string, to_json, to_yaml and friends as text', () => {
    expect(value('{{ [1] | to_json }}')).toBe('[1]')
    expect(value('{{ [1] | string }}')).toBe('[1]')
    expect(value('{{ [1] | to_json | trim }}')).toEqual([1])
  })
})

describe('errors', () => {
  it('never leak a JavaScript error: a failing custom filter is a TemplateError at the filter', () => {
    const error = failure(() =>
      render(
        'x\n{{ 1 | boom }}',
        {},
        {
          boom: () => {
            throw new TypeError('cannot read properties of undefined')
          },
        },
      ),
    )
    expect(error.message).toBe('role/file.j2:2:8: cannot read properties of undefined (in "{{ 1 | boom }}")')
    const deep = failure(() =>
      render(
        '{{ 1 | deep }}',
        {},
        {
          deep: function deep(): never {
            return deep()
          },
        },
      ),
    )
    expect(deep.problem).toContain('Maximum call stack size exceeded')
  })

  it('shortens a long template line around the position', () => {
    const line = `${'a'.repeat(100)}{{ missing }}${'b'.repeat(100)}`
    const message = failure(() => render(line)).message
    expect(message).toContain('…aaaa')
    expect(message).toContain('{{ missing }}')
    expect(message.length).toBeLessThan(200)
  })

  it('says what went wrong, where, for which host and variable (withContext)', () => {
    const error = failure(() => value('{{ 1 + missing }}'))
    expect(error.message).toBe(`'missing' is undefined (at 1:8 of "{{ 1 + missing }}")`)
    const located = error
      .withContext({host: 'alpha', location: {col: 3, file: 'group_vars/all.yaml', line: 12}, variable: 'inner'})
      .withContext({host: 'alpha', location: {col: 1, file: 'other.yaml', line: 1}, variable: 'outer'})
    expect(located.message).toBe(
      `group_vars/all.yaml:12:3: host alpha, variable 'outer' → 'inner': 'missing' is undefined (at 1:8 of "{{ 1 + missing }}")`,
    )
    expect(located.variable).toBe('inner')
    expect(located.variables).toEqual(['outer', 'inner'])
  })
})
