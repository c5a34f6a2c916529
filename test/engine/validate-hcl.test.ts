import {describe, expect, it} from 'vitest'

import type {RenderedFile} from '../../src/engine/render.js'

import {hclParse, hclProblems, HclSyntaxError, parseHcl} from '../../src/engine/validate-hcl.js'

function rendered(path: string, content: string, extra: Partial<RenderedFile> = {}): RenderedFile {
  return {
    content: Buffer.from(content),
    group: 'root',
    mode: 0o644,
    owner: 'root',
    partial: false,
    path,
    secret: false,
    ...extra,
  }
}

describe("HashiCorp's HCL parser", () => {
  it('parses blocks into the shape HashiCorp tools see', async () => {
    const parsed = await parseHcl(
      'x.hcl',
      'datacenter = "dc1"\nretry_join = ["10.0.0.1", "10.0.0.2"]\nserver {\n  bootstrap_expect = 3\n}\nlistener "tcp" {\n  address = "10.0.0.1:8200"\n}\n',
    )
    expect(parsed).toEqual({
      datacenter: 'dc1',
      listener: {tcp: [{address: '10.0.0.1:8200'}]},
      retry_join: ['10.0.0.1', '10.0.0.2'],
      server: [{bootstrap_expect: 3}],
    })
  })

  it('reports every syntax error at file:line:col', async () => {
    const text = 'a = 1\nserver { enabled = true\n  x = 2\n}\nb = "open\n'
    const error = await parseHcl('/etc/consul.d/consul.hcl', text).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HclSyntaxError)
    const problems = (error as HclSyntaxError).problems
    expect(problems.map((p) => [p.line, p.col])).toEqual([
      [5, 10],
      [2, 24],
    ])
    expect(problems[0]!.message).toMatch(/^Invalid multi-line string: /)
    expect((error as Error).message.split('\n')[1]).toMatch(
      /^\/etc\/consul\.d\/consul\.hcl:2:24: Invalid single-argument/,
    )
  })

  it('splits the parser message into one problem per diagnostic', () => {
    const message =
      'parse config: [f.hcl:7,24-8,1: Invalid single-argument block definition; A single-line block. f.hcl:11,10-16: Argument definition required; Use an equals sign.]'
    expect(hclProblems('f.hcl', message)).toEqual([
      {col: 24, file: 'f.hcl', line: 7, message: 'Invalid single-argument block definition: A single-line block.'},
      {col: 10, file: 'f.hcl', line: 11, message: 'Argument definition required: Use an equals sign.'},
    ])
  })

  it('as a validator: errors for a broken file, none for a good one, and it skips secret and partial files', async () => {
    const good = rendered('/etc/nomad.d/nomad.hcl', 'ui {\n  enabled = true\n}\n')
    const bad = rendered('/etc/vault.d/vault.hcl', 'listener "tcp" {\n  address = \n}\n')
    expect(hclParse.applies(good)).toBe(true)
    expect(hclParse.applies(rendered('/etc/consul.d/secrets.hcl', '<secret>', {secret: true}))).toBe(false)
    expect(hclParse.applies(rendered('/etc/consul.d/x.hcl', 'a = 1', {partial: true}))).toBe(false)
    expect(hclParse.applies(rendered('/etc/hosts', ''))).toBe(false)
    const results = await hclParse.run([good, bad], ['h1'])
    expect(results.find((r) => r.file === good.path)?.errors).toEqual([])
    expect(results.find((r) => r.file === bad.path)?.errors[0]).toMatch(/^line 2, column \d+: /)
  })
})
