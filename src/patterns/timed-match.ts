import {Worker} from 'node:worker_threads'

const [WAITING, STARTED, DONE, FAILED] = [0, 1, 2, 3]
/** How long a worker thread may take to start on a busy machine. */
const START_LIMIT_MS = 30_000

// The worker tests every item, writing 1 for a match into the shared bytes after the state word.
const WORKER = `
const {workerData} = require('node:worker_threads')
const {flags, items, shared, source} = workerData
const state = new Int32Array(shared, 0, 1)
const matched = new Uint8Array(shared, 4)
const signal = (value) => {
  Atomics.store(state, 0, value)
  Atomics.notify(state, 0)
}
signal(${STARTED})
try {
  const regexp = new RegExp(source, flags)
  items.forEach((item, i) => {
    regexp.lastIndex = 0
    matched[i] = regexp.test(item) ? 1 : 0
  })
  signal(${DONE})
} catch {
  signal(${FAILED})
}
`

/**
 * Whether a regular expression matches each item, tested in a worker thread that is stopped when it has not finished
 * after `limitMs`; the caller blocks meanwhile. JavaScript regular expressions backtrack: `(a+)+$` on a 36-character
 * name would run for minutes. Returns undefined when the time ran out.
 */
export function matchWithin(regexp: RegExp, items: readonly string[], limitMs: number): boolean[] | undefined {
  const shared = new SharedArrayBuffer(4 + items.length)
  const state = new Int32Array(shared, 0, 1)
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {flags: regexp.flags, items, shared, source: regexp.source},
  })
  worker.unref()
  try {
    Atomics.wait(state, 0, WAITING, START_LIMIT_MS)
    Atomics.wait(state, 0, STARTED, limitMs)
  } finally {
    void worker.terminate()
  }
  const outcome = Atomics.load(state, 0)
  if (outcome === FAILED) throw new Error(`/${regexp.source}/ failed to run`)
  if (outcome !== DONE) return undefined
  return Array.from(new Uint8Array(shared, 4), (byte) => byte === 1)
}
