import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {InvalidInputError} from '../../src/core/errors.js'
import {Templates} from '../../src/engine/templates.js'
import {scopeOf} from '../template/scope.js'

function templatesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-templates-'))
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), {recursive: true})
    writeFileSync(path.join(dir, name), content)
  }
  return dir
}

describe('Templates', () => {
  it('renders strictly: an undefined variable names the template, line, column and expression', () => {
    const dir = templatesDir({'demo/x.conf.j2': 'name={{ name }}\nport={{ consul.port }}\n'})
    const templates = new Templates([dir])
    expect(templates.render('demo/x.conf.j2', scopeOf({consul: {port: 8500}, name: 'lab1'}))).toBe(
      'name=lab1\nport=8500\n',
    )
    const error = (() => {
      try {
        templates.render('demo/x.conf.j2', scopeOf({consul: {}, name: 'lab1'}))
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(InvalidInputError)
    expect((error as Error).message).toMatch(/demo\/x\.conf\.j2:2:\d+: 'dict object' has no attribute 'port'/)
  })

  it('lets an override directory replace a built-in template by relative path', () => {
    const builtIn = templatesDir({'demo/a.j2': 'built-in {{ x }}', 'demo/b.j2': 'b'})
    const override = templatesDir({'demo/a.j2': 'override {{ x }}'})
    const templates = new Templates([override, builtIn])
    expect(templates.render('demo/a.j2', scopeOf({x: 1}))).toBe('override 1')
    expect(templates.render('demo/b.j2', scopeOf())).toBe('b')
  })

  it('escapes HCL strings, including template sequences', () => {
    const dir = templatesDir({'demo/c.hcl.j2': 'token = {{ token | hcl }}'})
    const token = 'a"b' + '$' + '{c}%{d}\n'
    expect(new Templates([dir]).render('demo/c.hcl.j2', scopeOf({token}))).toBe('token = "a\\"b$$' + '{c}%%{d}\\n"')
  })
})
