import {execa} from 'execa'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {ROOT} from '../support/cli.js'

/** A process that holds an interrupt (the built module) and says what each signal did to it. */
function holder(second: boolean) {
  const module = path.join(ROOT, 'dist/src/fanout/interrupt.js')
  const script = `
    const {interruptOnSignals, interruptedExitCode} = await import(${JSON.stringify(module)})
    const interrupt = interruptOnSignals({first: 'first notice'${second ? ", second: 'second notice'" : ''}})
    interrupt.signal.addEventListener('abort', () => console.log('signal', interrupt.signal.reason, interruptedExitCode(interrupt.signal)))
    interrupt.force.addEventListener('abort', () => console.log('force'))
    console.log('ready')
    setTimeout(() => {}, 30000)
  `
  return execa(process.execPath, ['--input-type=module', '-e', script], {reject: false, stripFinalNewline: false})
}

async function next(child: ReturnType<typeof holder>, line: string): Promise<void> {
  let seen = ''
  await new Promise<void>((resolve) =>
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      if (seen.includes(line)) resolve()
    }),
  )
}

describe('interruptOnSignals', () => {
  it('first signal aborts `signal` with its name, a second aborts `force`, a third exits 128 + n', async () => {
    const child = holder(true)
    await next(child, 'ready')
    child.kill('SIGINT')
    await next(child, 'signal SIGINT 130')
    child.kill('SIGTERM')
    await next(child, 'force')
    child.kill('SIGINT')
    const result = await child
    expect(result.exitCode).toBe(130)
    expect(result.stderr).toBe('\nfirst notice\n\nSIGTERM: second notice\n')
  })

  it('without a second stage, the second signal exits at once with the first signal’s code', async () => {
    const child = holder(false)
    await next(child, 'ready')
    child.kill('SIGTERM')
    await next(child, 'signal SIGTERM 143')
    child.kill('SIGINT')
    const result = await child
    expect(result.exitCode).toBe(143)
    expect(result.stdout).not.toContain('force')
  })
})
