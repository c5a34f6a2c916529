import {color} from '../output/color.js'

/** Live progress of a role run, one line per host. */
export interface Progress {
  close(): Promise<void>
  done(host: string, text: string, ok: boolean): void
  update(host: string, text: string): void
}

const silent: Progress = {close: async () => {}, done() {}, update() {}}

/**
 * listr2 on a terminal (one live line per host); plain `host: text` lines on stderr otherwise; nothing under --json.
 * The run's exit code never comes from here: it comes from the host reports.
 */
export async function createProgress(
  hosts: readonly string[],
  options: {json: boolean; title: string},
): Promise<Progress> {
  if (options.json) return silent
  if (!process.stderr.isTTY) {
    return {
      close: async () => {},
      done: (host, text, ok) => process.stderr.write(`${host}: ${ok ? text : color.red(text)}\n`),
      update: () => {},
    }
  }
  return listrProgress(hosts, options.title)
}

interface HostLine {
  finish: (ok: boolean) => void
  finished: Promise<boolean>
  task?: {title: string}
  text: string
}

async function listrProgress(hosts: readonly string[], title: string): Promise<Progress> {
  const {Listr} = await import('listr2')
  const lines = new Map<string, HostLine>()
  for (const host of hosts) {
    let finish: (ok: boolean) => void = () => {}
    const finished = new Promise<boolean>((resolve) => (finish = resolve))
    lines.set(host, {finish, finished, text: 'waiting'})
  }
  const label = (host: string) => `${title} ${host}: ${lines.get(host)!.text}`
  const list = new Listr(
    hosts.map((host) => ({
      async task(_: unknown, task: {title: string}) {
        const line = lines.get(host)!
        line.task = task
        task.title = label(host)
        if (!(await line.finished)) throw new Error(label(host))
      },
      title: label(host),
    })),
    {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
    },
  )
  const running = list.run().catch(() => {})
  const update = (host: string, text: string) => {
    const line = lines.get(host)
    if (!line) return
    line.text = text
    if (line.task) line.task.title = label(host)
  }
  return {
    async close() {
      for (const line of lines.values()) line.finish(true)
      await running
    },
    done(host, text, ok) {
      update(host, text)
      lines.get(host)?.finish(ok)
    },
    update,
  }
}
