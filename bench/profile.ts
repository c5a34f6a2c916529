import {execa} from 'execa'
import {mkdir, readdir, readFile, rm} from 'node:fs/promises'
import path from 'node:path'

import type {Cli} from './cli.js'

export interface Share {
  ms: number
  name: string
  percent: number
}

export interface ProfileSummary {
  /** What was profiled (goldentooth's arguments). */
  args: string
  /** Sampled time of the main thread. */
  totalMs: number
  wallMs: number
  topFunctions: Share[]
  topModules: Share[]
}

interface ProfileNode {
  callFrame: {functionName: string; lineNumber: number; url: string}
  id: number
}

interface CpuProfile {
  endTime: number
  nodes: ProfileNode[]
  samples: number[]
  startTime: number
  timeDeltas: number[]
}

/** node_modules/<package>, dist/<file>, node's own modules, or V8's pseudo-frames ((garbage collector), (idle)…). */
function moduleOf(frame: ProfileNode['callFrame'], copy: string): string {
  const {functionName, url} = frame
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)'
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (dependency) return dependency[1]!
  if (url.startsWith('node:')) return 'node internals'
  const own = url.replace(`file://${copy}/`, '')
  return own.startsWith('dist/') ? own.slice('dist/'.length) : own
}

function top(map: Map<string, number>, total: number, count: number): Share[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => ({ms: Math.round(us / 100) / 10, name, percent: Math.round((us / total) * 1000) / 10}))
}

/** Run goldentooth once under `node --cpu-prof` and sum self time per function and per module. */
export async function cpuProfile(cli: Cli, args: string, env: Record<string, string>): Promise<ProfileSummary> {
  const dir = path.join(cli.work, `cpuprofile-${args.replaceAll(/\W+/g, '_')}`)
  await rm(dir, {force: true, recursive: true})
  await mkdir(dir, {recursive: true})
  const started = performance.now()
  await execa('bash', ['-c', `node --cpu-prof --cpu-prof-dir ${dir} ${cli.dir}/bin/run.js ${args} >/dev/null`], {
    env,
    reject: false,
  })
  const wallMs = performance.now() - started
  const [file] = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile'))
  if (!file) throw new Error(`no CPU profile written for ${args}`)
  const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const functions = new Map<string, number>()
  const modules = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0
    const frame = byId.get(id)?.callFrame
    if (!frame) return
    total += delta
    const module = moduleOf(frame, cli.dir)
    const name = `${frame.functionName || '(anonymous)'} — ${module}${frame.url ? `:${frame.lineNumber + 1}` : ''}`
    functions.set(name, (functions.get(name) ?? 0) + delta)
    modules.set(module, (modules.get(module) ?? 0) + delta)
  })
  return {
    args: args.replaceAll(cli.dir, '$COPY').replaceAll(cli.work, '$WORK'),
    topFunctions: top(functions, total, 12),
    topModules: top(modules, total, 10),
    totalMs: Math.round(total / 1000),
    wallMs: Math.round(wallMs),
  }
}
