import {randomBytes} from 'node:crypto'
import {Readable} from 'node:stream'

import type {Client, ClientChannel} from 'ssh2'

import type {ExecOptions, ExecResult} from './types.js'

import {CapturedOutput, DEFAULT_CAPTURE_LIMIT} from './captured-output.js'

/**
 * Every command starts by exporting this variable, set to a token of its own, so that its processes can be found and
 * stopped from another channel: sshd refuses SSH "signal" requests on root sessions ("session signalling requires
 * privilege separation", OpenSSH 9.2), and closing a channel does not stop what runs in it. The command's shell shows
 * the token in its command line, every process it starts in its environment.
 */
export const EXEC_MARKER = 'GOLDENTOOTH_EXEC'

function markedCommand(command: string, marker: string): string {
  return `export ${EXEC_MARKER}=${marker}; ${command}`
}

/**
 * A script for another channel: SIGTERM every process whose command line or environment carries the marker, SIGKILL
 * what is left a second later. The token is spelled in two halves so the script never matches itself.
 */
export function stopScript(marker: string): string {
  return `m=${EXEC_MARKER} t=${marker}
pids=$(printf '%s=%s\\n' "$m" "$t" | grep -laF -f - /proc/[0-9]*/environ /proc/[0-9]*/cmdline 2>/dev/null |
  sed 's|^/proc/\\([0-9]*\\)/.*|\\1|' | sort -u)
[ -z "$pids" ] && exit 0
kill -TERM $pids 2>/dev/null
sleep 1
kill -KILL $pids 2>/dev/null
exit 0`
}

/** After stopping a command: how long to wait for the server to close its channel before leaving it behind. */
const CLOSE_GRACE_MS = 2_000

export type ExecOutcome = ExecResult & {
  /** The channel closed without an exit status, and not because we stopped it: the connection went away. */
  lost: boolean
}

export interface RunningExec {
  /** Settles when the command exits, or once it has been stopped after a timeout or abort. */
  result: Promise<ExecOutcome>
  /** Settles when the server has closed the channel, which a stopped command may outlive. */
  closed: Promise<void>
}

/**
 * Run one command through the login shell on its own channel. Each stream is kept up to `maxOutputBytes` as bytes and
 * decoded once, so multi-byte characters split across packets survive. On timeout or abort the command is sent SIGTERM
 * (a "signal" request), `stopRemote` kills its processes from another channel, and the channel is closed.
 */
export function startExec(
  client: Client,
  command: string,
  options: ExecOptions,
  stopRemote: (marker: string) => Promise<unknown>,
): RunningExec {
  const started = performance.now()
  const marker = randomBytes(8).toString('hex')
  const limit = options.maxOutputBytes ?? DEFAULT_CAPTURE_LIMIT
  const stdout = new CapturedOutput(limit)
  const stderr = new CapturedOutput(limit)
  let channel: ClientChannel | undefined
  let stopped: 'timeout' | 'abort' | undefined
  let giveUp: () => void = noop
  const abandoned = new Promise<void>((resolve) => (giveUp = resolve))
  const timers: NodeJS.Timeout[] = []

  const outcome = (code: number | null, signal: string | null): ExecOutcome => {
    const out = stdout.result()
    const err = stderr.result()
    return {
      exitCode: stopped ? null : code,
      signal,
      stdout: out.text,
      stderr: err.text,
      streams: {stderr: err.info, stdout: out.info},
      timedOut: stopped === 'timeout',
      durationMs: Math.round(performance.now() - started),
      lost: !stopped && code === null && signal === null,
    }
  }
  const hangUp = (open: ClientChannel) => {
    sendSignal(open, 'TERM')
    void stopRemote(marker)
      .catch(noop)
      .then(() => {
        open.close()
        timers.push(setTimeout(giveUp, CLOSE_GRACE_MS).unref())
      })
  }
  const stop = (why: 'timeout' | 'abort') => {
    if (stopped) return
    stopped = why
    if (channel) hangUp(channel)
  }
  const onAbort = () => stop('abort')
  const cleanUp = () => {
    for (const timer of timers) clearTimeout(timer)
    options.signal?.removeEventListener('abort', onAbort)
  }

  if (options.signal?.aborted) {
    stopped = 'abort'
    cleanUp()
    return {result: Promise.resolve(outcome(null, null)), closed: Promise.resolve()}
  }
  if (options.timeoutMs !== undefined) timers.push(setTimeout(() => stop('timeout'), options.timeoutMs))
  options.signal?.addEventListener('abort', onAbort, {once: true})

  const execution = new Promise<{code: number | null; signal: string | null}>((resolve, reject) => {
    client.exec(markedCommand(command, marker), (err, opened) => {
      if (err) return reject(err)
      channel = opened
      if (stopped) hangUp(opened)
      let code: number | null = null
      let signal: string | null = null
      opened.on('data', (chunk: Buffer) => {
        stdout.push(chunk)
        options.onStdout?.(chunk)
      })
      opened.stderr.on('data', (chunk: Buffer) => {
        stderr.push(chunk)
        options.onStderr?.(chunk)
      })
      opened.on('exit', (exitCode: number | null, exitSignal?: string) => {
        code = exitCode ?? null
        signal = exitSignal ?? null
      })
      opened.on('close', () => resolve({code, signal}))
      writeStdin(opened, options.stdin)
    })
  })
  const result = Promise.race([
    execution.then(({code, signal}) => outcome(code, signal)),
    abandoned.then(() => outcome(null, null)),
  ]).finally(cleanUp)
  return {result, closed: execution.then(noop, noop)}
}

function writeStdin(channel: ClientChannel, stdin: ExecOptions['stdin']): void {
  if (stdin === undefined) channel.end()
  else if (stdin instanceof Readable) stdin.pipe(channel, {end: true})
  else channel.end(stdin)
}

function noop(): void {}

interface ChannelInternals {
  outgoing?: {id: number; state: string}
  _client?: {_protocol?: {signal(id: number, name: string): void}}
}

/**
 * ssh2's ClientChannel.signal() does nothing once our side of the channel has sent EOF (it checks `writable`), which is
 * always the case for a command without stdin; the SSH "signal" request is valid until the channel closes.
 */
function sendSignal(channel: ClientChannel, name: string): void {
  const {outgoing, _client: client} = channel as unknown as ChannelInternals
  if (outgoing && (outgoing.state === 'open' || outgoing.state === 'eof')) client?._protocol?.signal(outgoing.id, name)
}
