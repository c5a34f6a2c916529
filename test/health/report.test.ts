import {execa} from 'execa'
import {XMLParser, XMLValidator} from 'fast-xml-parser'
import {mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import type {CheckResult} from '../../src/health/model.js'

import {renderTable} from '../../src/health/report/human.js'
import {renderJunit} from '../../src/health/report/junit.js'
import {renderPrometheus} from '../../src/health/report/prometheus.js'
import {summarize} from '../../src/health/report/summary.js'

function result(overrides: Partial<CheckResult>): CheckResult {
  return {
    attempts: 1,
    durationMs: 12,
    expected: 'x',
    host: 'lab1',
    name: 'disk',
    observed: 'y',
    scope: 'host',
    status: 'pass',
    suite: 'system',
    ...overrides,
  }
}

const RESULTS: CheckResult[] = [
  result({host: 'lab1', observed: '4.1% used'}),
  result({host: 'lab2', observed: '4.3% used'}),
  result({expected: '/ used under 85%', hint: 'du -xh /', host: 'lab3', observed: '91.0% used', status: 'fail'}),
  result({name: 'time_sync', observed: 'container: <its host\'s> & "clock"', status: 'skip', suite: 'time'}),
  result({certificateExpirySeconds: 3123, host: 'lab2', name: 'consul:valid', suite: 'certificates'}),
  result({
    certificateExpirySeconds: -60,
    durationMs: 250,
    host: 'lab4',
    name: 'consul:valid',
    observed: 'expired',
    status: 'fail',
    suite: 'certificates',
  }),
  result({
    host: 'cluster',
    name: 'nodes',
    observed: 'lab4 drained: "disk\\full"\nnext line',
    scope: 'cluster',
    status: 'fail',
    suite: 'slurm',
  }),
]

describe('reports', () => {
  it('the table folds hosts with equal results; failures show expected, observed and hint; -v shows every check', () => {
    const table = renderTable(RESULTS, false)
    expect(table).toContain('system        disk          pass    lab1,lab2 (2)')
    expect(table).toContain('system        disk          FAIL    lab3 (1)')
    expect(table).toMatch(/expected {2}\/ used under 85%\n +observed {2}91\.0% used\n +hint {6}du -xh \//)
    expect(table).not.toContain('4.1% used')
    const verbose = renderTable(RESULTS, true)
    expect(verbose).toContain('4.1% used')
    expect(verbose).toContain('lab1 (1)')
  })

  it('summarizes passes, failures and skips', () => {
    expect(summarize(RESULTS, 1500)).toEqual({durationMs: 1500, failed: 3, passed: 3, skipped: 1})
  })

  it('JUnit XML is well formed, one testsuite per suite, with failures, skips and escaped text', () => {
    const xml = renderJunit(RESULTS, summarize(RESULTS, 1500), new Date('2026-01-01T00:00:00Z'))
    expect(XMLValidator.validate(xml)).toBe(true)
    const parsed = new XMLParser({
      ignoreAttributes: false,
      isArray: (name) => ['testsuite', 'testcase'].includes(name),
    }).parse(xml)
    const root = parsed.testsuites
    expect(root).toMatchObject({'@_failures': '3', '@_skipped': '1', '@_tests': '7'})
    const suites = root.testsuite as Array<Record<string, unknown>>
    expect(suites.map((s) => s['@_name'])).toEqual(['system', 'time', 'certificates', 'slurm'])
    const system = suites[0]!.testcase as Array<Record<string, unknown>>
    expect(system.map((c) => c['@_name'])).toEqual(['lab1: disk', 'lab2: disk', 'lab3: disk'])
    expect(system[2]!.failure).toMatchObject({
      '#text': 'expected: / used under 85%\nobserved: 91.0% used\nhint: du -xh /',
      '@_message': '91.0% used',
    })
    const skipped = (suites[1]!.testcase as Array<Record<string, {'@_message': string}>>)[0]!.skipped
    expect(skipped!['@_message']).toBe('container: <its host\'s> & "clock"')
    expect(system[0]!['@_time']).toBe('0.012')
  })

  it('the Prometheus textfile passes promtool check metrics and carries success, duration and certificate expiry', async () => {
    const text = renderPrometheus(RESULTS, new Date('2026-01-01T00:00:00Z'))
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gt-prom-')), 'goldentooth.prom')
    writeFileSync(file, text)
    const promtool = await execa('promtool', ['check', 'metrics'], {input: text, reject: false})
    expect(promtool.stderr + promtool.stdout).toBe('')
    expect(promtool.exitCode).toBe(0)
    expect(text).toContain('goldentooth_check_success{host="lab3",suite="system",check="disk"} 0\n')
    expect(text).toContain('goldentooth_check_success{host="lab1",suite="system",check="disk"} 1\n')
    expect(text).not.toContain('check="time_sync"')
    expect(text).toContain(
      'goldentooth_check_duration_seconds{host="lab4",suite="certificates",check="consul:valid"} 0.250\n',
    )
    expect(text).toContain(
      'goldentooth_certificate_expiry_seconds{host="lab2",suite="certificates",check="consul:valid"} 3123\n',
    )
    expect(text).toContain(
      'goldentooth_certificate_expiry_seconds{host="lab4",suite="certificates",check="consul:valid"} -60\n',
    )
    expect(text).toContain('goldentooth_health_last_run_timestamp_seconds 1767225600.000\n')
  })

  it('promtool rejects what a broken writer would produce, so the check above can fail', async () => {
    const broken = 'goldentooth_check_success{host="a} 1\n'
    const promtool = await execa('promtool', ['check', 'metrics'], {input: broken, reject: false})
    expect(promtool.exitCode).not.toBe(0)
  })
})
