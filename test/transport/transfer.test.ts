import {createHash} from 'node:crypto'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {TransferError} from '../../src/transport/errors.js'
import {connect} from '../../src/transport/ssh.js'
import type {Connection} from '../../src/transport/types.js'
import {startSshFleet, type Fleet} from '../support/sshd.js'
import {fleetTarget} from '../support/targets.js'

let fleet: Fleet
let connection: Connection
let remote: string
let local: string

beforeAll(async () => {
  fleet = await startSshFleet(1, {sftpLog: true})
  connection = await connect(await fleetTarget(fleet, 'host1'), {
    connectTimeoutMs: 10_000,
    insecureAcceptHostKeys: false,
  })
  remote = join(fleet.dir, 'remote')
  local = mkdtempSync(join(tmpdir(), 'gt-transfer-'))
  await connection.exec(`mkdir -p ${remote}`)
})

afterAll(async () => {
  await connection?.close()
  await fleet?.stopAll()
  rmSync(local, {recursive: true, force: true})
})

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex')
const remoteSha = async (path: string) => (await connection.exec(`sha256sum < ${path}`)).stdout.split(' ')[0]
const remoteMode = async (path: string) => (await connection.exec(`stat -c %a ${path}`)).stdout.trim()

describe('upload', () => {
  it('writes a Buffer, a string or a local file, byte for byte', async () => {
    const binary = Buffer.from(Array.from({length: 70_000}, (_, i) => (i * 7) % 256))
    await connection.upload(binary, `${remote}/binary`)
    expect(await remoteSha(`${remote}/binary`)).toBe(sha256(binary))
    await connection.upload('héllo ✓\n', `${remote}/text`)
    expect((await connection.exec(`cat ${remote}/text`)).stdout).toBe('héllo ✓\n')
    const file = join(local, 'big')
    writeFileSync(file, Buffer.alloc(3 * 1024 * 1024 + 17, 'z'))
    await connection.upload({localPath: file}, `${remote}/big`)
    expect(await remoteSha(`${remote}/big`)).toBe(sha256(readFileSync(file)))
  })

  it('opens a temporary file, sets the mode, fsyncs, then posix-renames; keeps an existing mode; defaults to 0644', async () => {
    await connection.upload('secret', `${remote}/secret`, {mode: 0o600})
    expect(await remoteMode(`${remote}/secret`)).toBe('600')
    await connection.upload('new secret', `${remote}/secret`)
    expect(await remoteMode(`${remote}/secret`)).toBe('600')
    await connection.upload('plain', `${remote}/plain`)
    expect(await remoteMode(`${remote}/plain`)).toBe('644')
    await connection.upload('#!/bin/sh\necho run\n', `${remote}/script`, {mode: 0o755})
    expect((await connection.exec(`${remote}/script`)).stdout).toBe('run\n')
    const log = readFileSync(join(fleet.host('host1').dir, 'sftp.log'), 'utf8')
    const temporary = new RegExp(
      `open "(${remote}/\\.secret\\.goldentooth-[0-9a-f]+)" flags [A-Z,]*EXCL mode 0600`,
    ).exec(log)?.[1]
    expect(temporary).toBeDefined()
    const steps = log.split(/\r?\n/).filter((line) => line.includes(temporary as string))
    expect(steps.map((line) => line.split(' ')[0])).toEqual(['open', 'set', 'fsync', 'close', 'posix-rename'])
    expect(steps[1]).toBe(`set "${temporary}" mode 0600`)
    expect(steps[4]).toBe(`posix-rename old "${temporary}" new "${remote}/secret"`)
  })

  it('replaces a file atomically: a reader sees the old or the new content, never a part', async () => {
    const path = `${remote}/swapped`
    const versions = [Buffer.alloc(4 * 1024 * 1024, 'a'), Buffer.alloc(5 * 1024 * 1024, 'b')]
    await connection.upload(versions[0] as Buffer, path)
    const reader = connection.exec(`while :; do sha256sum < ${path}; done`, {
      timeoutMs: 60_000,
      signal: AbortSignal.timeout(4000),
    })
    for (let i = 1; i <= 12; i++) await connection.upload(versions[i % 2] as Buffer, path)
    const seen = new Set(
      (await reader).stdout
        .trim()
        .split('\n')
        .map((line) => line.split(' ')[0]),
    )
    expect(seen.size).toBeGreaterThan(1)
    expect([...seen].every((hash) => versions.some((v) => sha256(v) === hash))).toBe(true)
    expect((await connection.exec(`ls -A ${remote}`)).stdout).not.toContain('goldentooth-')
  })

  it('fails with one clear line when the directory does not exist', async () => {
    const error = await connection.upload('x', '/nonexistent-dir/file').catch((err: unknown) => err)
    expect(error).toBeInstanceOf(TransferError)
    expect((error as Error).message).toBe('cannot write host1:/nonexistent-dir/file: No such file')
  })
})

describe('download', () => {
  it('copies a remote file into place through a temporary name', async () => {
    const content = Buffer.from(Array.from({length: 200_000}, (_, i) => i % 251))
    await connection.upload(content, `${remote}/fetch-me`)
    const destination = join(local, 'fetched')
    writeFileSync(destination, 'old')
    await connection.download(`${remote}/fetch-me`, destination)
    expect(sha256(readFileSync(destination))).toBe(sha256(content))
    expect(readdirSync(local).filter((name) => name.includes('goldentooth'))).toEqual([])
  })

  it('leaves nothing behind when the remote file is missing', async () => {
    const destination = join(local, 'never')
    const error = await connection.download(`${remote}/missing`, destination).catch((err: unknown) => err)
    expect(error).toBeInstanceOf(TransferError)
    expect((error as Error).message).toBe(`cannot copy host1:${remote}/missing to ${destination}: No such file`)
    expect(existsSync(destination)).toBe(false)
    expect(readdirSync(local).filter((name) => name.includes('goldentooth'))).toEqual([])
  })
})
