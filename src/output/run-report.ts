import type {HostResult, RunSummary} from '../fanout/results.js'
import type {FoldedBlock} from './fold.js'

import {color} from './color.js'
import {fold} from './fold.js'
import {encodingNote, type TextView} from './host-text.js'

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

function outcomeLabel(block: Pick<FoldedBlock, 'error' | 'exitCode' | 'status'>): string {
  if (block.status === 'unreachable') return color.magenta(`UNREACHABLE: ${block.error}`)
  const rc = block.exitCode === null ? (block.error ?? 'no exit code') : `rc=${block.exitCode}`
  const detail = block.exitCode !== null && block.error ? ` (${block.error})` : ''
  return block.status === 'ok' ? color.green(rc) : color.red(`${rc}${detail}`)
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`
}

function note(text: string | undefined): string {
  return text ? `${color.dim(text)}\n` : ''
}

/** `bettley,cargyll,dalt (3) | rc=0`, then the shared stdout, then the shared stderr under a `stderr:` line. */
export function renderBlock(block: FoldedBlock, view: TextView): string {
  let text = `${color.bold(block.hosts.join(','))} (${block.hosts.length}) | ${outcomeLabel(block)}\n`
  if (block.stdout) text += withNewline(view(block.stdout)) + note(encodingNote(block.streams, 'stdout'))
  if (block.stderr)
    text +=
      color.dim('stderr:\n') +
      color.yellow(withNewline(view(block.stderr))) +
      note(encodingNote(block.streams, 'stderr'))
  return text
}

export function renderFolded(results: readonly HostResult[], view: TextView): string {
  return fold(results)
    .map((block) => renderBlock(block, view))
    .join('')
}

/** `N ok, N failed, N unreachable (1.2 s)` */
export function renderSummary(summary: RunSummary): string {
  const parts = [
    color.green(`${summary.ok} ok`),
    summary.failed ? color.red(`${summary.failed} failed`) : `${summary.failed} failed`,
    summary.unreachable ? color.magenta(`${summary.unreachable} unreachable`) : `${summary.unreachable} unreachable`,
  ]
  return `${parts.join(', ')} (${formatSeconds(summary.durationMs)})\n`
}

/** One line per finished host, for --verbose runs whose output was already streamed. */
export function renderHostStatus(result: HostResult): string {
  return `${color.bold(result.host)} | ${outcomeLabel(result)} ${color.dim(`(${result.durationMs} ms)`)}\n`
}
