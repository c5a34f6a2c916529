import {describe, expect, it} from 'vitest'

import {PyFloat, tuple} from '../../src/template/index.js'
import {failure, render, value} from './scope.js'

const VARS = {
  config: {b: {x: 1}, a: [1, 2]},
  lines: 'a\nb',
  hosts: {h1: {ip: '10.0.0.1', tags: ['a']}, h2: {ip: '10.0.0.2', tags: []}},
  mixed: ['b', 'A', 'c', 'a'],
  numbers: [3, 1, 2],
  yaml: 'a: yes\nb: [1]',
  users: [
    {name: 'bob', uid: 1002, groups: ['dev']},
    {name: 'alice', uid: 1001, groups: ['wheel', 'dev'], shell: '/bin/zsh'},
  ],
}

/** [template, expected value] for each filter; values as templateValue returns them. */
const CASES: [string, unknown][] = [
  ["{{ x | default('d') }}", 'd'],
  ["{{ '' | d('d', true) }}", 'd'],
  ["{{ 'Ab' | lower }}{{ 'Ab' | upper }}", 'abAB'],
  ["{{ 'hELLO' | capitalize }} {{ 'a-b c' | title }}", 'Hello A-B C'],
  ["{{ '  x  ' | trim }}|{{ '--x--' | trim('-') }}", 'x|x'],
  ["{{ 'aaa' | replace('a', 'b', 2) }}", 'bba'],
  ["{{ 'x' | regex_replace('^(x)$', 'y\\1') }}", 'yx'],
  ["{{ 'v1.2.3' | regex_search('\\d+\\.\\d+') }}", '1.2'],
  ["{{ 'k=v' | regex_search('(\\w)=(\\w)', '\\2', '\\1') }}", ['v', 'k']],
  ["{{ 'a1b2' | regex_findall('[a-z]\\d') }}", ['a1', 'b2']],
  ["{{ 'a b  c' | split }}|{{ 'a:b' | split(':') }}", "['a', 'b', 'c']|['a', 'b']"],
  ["{{ numbers | join('-') }}", '3-1-2'],
  ['{{ numbers | first }}{{ numbers | last }}{{ numbers | length }}{{ numbers | count }}', '3233'],
  ['{{ mixed | unique }}', ['b', 'A', 'c']],
  ['{{ mixed | sort }}', ['A', 'a', 'b', 'c']],
  ["{{ users | sort(attribute='uid') | map(attribute='name') | list }}", ['alice', 'bob']],
  ['{{ numbers | reverse | list }}', [2, 1, 3]],
  [
    "{{ numbers | min }}{{ numbers | max }}{{ numbers | sum }}{{ users | max(attribute='uid') | attr('keys') is callable }}",
    '136True',
  ],
  [
    "{{ '42' | int }} {{ 'x' | int(-1) }} {{ '0x10' | int(base=16) }} {{ '2.5' | float }} {{ 3 | float }}",
    '42 -1 16 2.5 3.0',
  ],
  ["{{ 'yes' | bool }} {{ 'off' | bool }} {{ 1 | bool }}", 'True False True'],
  ['{{ 1 | string }}{{ none | string }}', '1None'],
  ["{{ true | ternary('a', 'b') }}{{ none | ternary('a', 'b', 'c') }}", 'ac'],
  ['{{ 2.5 | round }} {{ 2.675 | round(2) }} {{ 2.1 | round(0, "ceil") }} {{ -3 | abs }}', '2.0 2.67 3.0 3'],
  ['{{ [1, [2, [3]]] | flatten }}|{{ [1, [2, [3]]] | flatten(1) }}', '[1, 2, 3]|[1, 2, [3]]'],
  ["{{ users | map(attribute='groups') | flatten | unique }}", ['dev', 'wheel']],
  ["{{ users | map(attribute='shell', default='/bin/sh') | list }}", ['/bin/sh', '/bin/zsh']],
  ["{{ numbers | map('string') | list }}", ['3', '1', '2']],
  ["{{ hosts | dict2items | map(attribute='value.ip') | list }}", ['10.0.0.1', '10.0.0.2']],
  ["{{ ['h1', 'h2'] | map('extract', hosts, 'ip') | list }}", ['10.0.0.1', '10.0.0.2']],
  ["{{ ['h1'] | map('extract', hosts, ['tags', 0]) | list }}", ['a']],
  ["{{ numbers | select('odd') | list }}|{{ numbers | reject('odd') | list }}", '[3, 1]|[2]'],
  ["{{ users | selectattr('shell', 'defined') | map(attribute='name') | list }}", ['alice']],
  ["{{ users | rejectattr('uid', '>', 1001) | map(attribute='name') | first }}", 'alice'],
  ['{{ [1, 2, 3] | difference([2]) }}{{ [1, 2] | intersect([2, 3]) }}{{ [1] | union([2, 1]) }}', '[1, 3][2][1, 2]'],
  ['{{ [1, 2] | symmetric_difference([2, 3]) }}', [1, 3]],
  ["{{ [1, 2] | zip(['a', 'b']) | list }}", [tuple([1, 'a']), tuple([2, 'b'])]],
  ['{{ [1, 2, 3] | batch(2) | list }}', [[1, 2], [3]]],
  ['{{ [1] | product([2, 3]) | list }}', [tuple([1, 2]), tuple([1, 3])]],
  ["{{ users | subelements('groups') | map('last') | list }}", ['dev', 'wheel', 'dev']],
  ['{{ config | dictsort | first }}', "('a', [1, 2])"],
  ["{{ [{'key': 'k', 'value': 1}] | items2dict }}", {k: 1}],
  ["{{ config | combine({'b': {'y': 2}}) }}", {a: [1, 2], b: {y: 2}}],
  ["{{ config | combine({'b': {'y': 2}}, recursive=true) }}", {a: [1, 2], b: {x: 1, y: 2}}],
  ["{{ config | combine({'a': [3]}, list_merge='append') }}", {a: [1, 2, 3], b: {x: 1}}],
  ["{{ [{'a': 1}, {'b': 2}] | combine }}", {a: 1, b: 2}],
  ['{{ config | to_json }}', '{"b": {"x": 1}, "a": [1, 2]}'],
  ['{{ config | to_nice_json(indent=2) }}', '{\n  "a": [\n    1,\n    2\n  ],\n  "b": {\n    "x": 1\n  }\n}'],
  ['{{ config | to_yaml }}', 'a: [1, 2]\nb: {x: 1}\n'],
  ['{{ config | to_nice_yaml }}', 'a:\n- 1\n- 2\nb:\n    x: 1\n'],
  ['{{ \'{"a": 1.0}\' | from_json }}', {a: new PyFloat(1)}],
  ['{{ yaml | from_yaml }}', {a: true, b: [1]}],
  ["{{ 'hi' | b64encode }}|{{ 'aGk=' | b64decode }}", 'aGk=|hi'],
  [
    "{{ 'hi' | hash('sha256') | length }} {{ 'hi' | md5 }} {{ 'hi' | sha1 }}",
    '64 49f68a5c8493ec2c0bf489821c21fc3b c22b5f9178342609428d6f51b2c5af4c0bde6a42',
  ],
  ["{{ 'www.example.com' | to_uuid }}", '69680a13-a686-5d20-a166-0e7b3b17ef84'],
  ['{{ "it\'s" | quote }}', `'it'"'"'s'`],
  [
    "{{ '/a/b.tar.gz' | basename }} {{ '/a/b.tar.gz' | dirname }} {{ '/a/b.tar.gz' | splitext | last }}",
    'b.tar.gz /a .gz',
  ],
  ["{{ ['a', 'b'] | path_join }}", 'a/b'],
  ["{{ 'https://u@h.example:8443/p?q#f' | urlsplit('port') }}", '8443'],
  ['{{ lines | indent(2, first=true) }}', '  a\n  b'],
  ["{{ 'a b c' | wordcount }} {{ 'abc' | center(7) }}|", '3   abc  |'],
  ["{{ '%s-%s' | format(1, 'x') }}", '1-x'],
  ["{{ 'a.b' | regex_escape }}", 'a\\.b'],
  ['{{ 100 | log(10) }} {{ 2 | pow(3) }} {{ 9 | root }}', '2.0 8.0 3.0'],
  ["{{ 'abc' | list }}", ['a', 'b', 'c']],
  ['{{ 5 | type_debug }} {{ x | type_debug }}', 'int AnsibleUndefined'],
  ['{{ config | items | list | first }}', "('b', {'x': 1})"],
  ["{{ 'a b c d' | truncate(4, leeway=0) }}", 'a...'],
  ["{{ '<a & b>' | e }} {{ '<a>' | safe }}", '&lt;a &amp; b&gt; <a>'],
  ["{{ {'q': 'a b/c'} | urlencode }} {{ 'a b/c' | urlencode }}", 'q=a+b%2Fc a%20b/c'],
]

describe('filters', () => {
  it.each(CASES)('%s', (template, expected) => {
    expect(value(template, VARS)).toEqual(expected)
  })

  it('fail as Ansible does for inputs they cannot take', () => {
    expect(failure(() => value('{{ 5 | split }}')).problem).toContain('must be str, not int')
    expect(failure(() => value("{{ 'x' | from_json }}")).problem).toBe('Expecting value: line 1 column 1 (char 0)')
    expect(failure(() => value("{{ 'x' | regex_replace('(', '') }}")).problem).toContain('invalid regular expression')
    expect(failure(() => value('{{ [1, 2] | combine }}')).problem).toContain("expected dicts but got a 'int'")
    expect(failure(() => value('{{ 1 | dict2items }}')).problem).toBe(
      'dict2items requires a dictionary, got int instead.',
    )
    expect(failure(() => value("{{ 'x' | hash('nope') }}")).problem).toBe('unsupported hash type nope')
    expect(failure(() => value("{{ x | mandatory('set x') }}")).problem).toBe('set x')
    expect(failure(() => value("{{ 'x' | default('a', 'b', 'c') }}")).problem).toBe(
      'default() takes at most 2 argument(s) (3 given)',
    )
    expect(failure(() => value("{{ 'x' | replace(old='a') }}")).problem).toBe(
      "replace() missing required argument 'new'",
    )
  })

  it('random and shuffle with a seed give the numbers Python gives; without one, any', () => {
    expect(value("{{ 59 | random(seed='alpha') }} {{ [1, 2, 3] | shuffle(seed='alpha') }}")).toBe('1 [3, 2, 1]')
    expect(value('{{ 10 | random(5, 2, seed=1) }}')).toBe('5')
    const drawn = Number(value('{{ 10 | random }}'))
    expect(drawn).toBeGreaterThanOrEqual(0)
    expect(drawn).toBeLessThan(10)
    expect(value('{{ [1, 2, 3] | shuffle | sort }}')).toEqual([1, 2, 3])
  })

  it('accepts custom filters for role templates', () => {
    const filters = {octal: (mode: unknown) => (mode as number).toString(8).padStart(4, '0')}
    expect(render('mode {{ 420 | octal }}', {}, filters)).toBe('mode 0644')
    expect(failure(() => value('{{ 420 | octal }}')).problem).toBe("unknown filter 'octal'")
    expect(render('{{ {"a": 10 / 5, "b": (1, 2)} | json }}', {}, {json: (data: unknown) => JSON.stringify(data)})).toBe(
      '{"a":2,"b":[1,2]}',
    )
  })
})
