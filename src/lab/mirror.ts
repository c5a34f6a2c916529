import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

export const SUITE = 'bookworm'
const DEFAULT_MIRROR = 'http://deb.debian.org/debian'
const DEFAULT_SECURITY_MIRROR = 'http://deb.debian.org/debian-security'

export interface AptSource {
  uris: string[]
  suites: string[]
  components: string[]
}

export interface DebianMirrors {
  mirror: string
  security: string
}

/** Parse one-line (sources.list) and deb822 (.sources) entries of type `deb`. */
export function parseAptSources(text: string, deb822: boolean): AptSource[] {
  return deb822 ? parseDeb822(text) : parseOneLine(text)
}

function parseOneLine(text: string): AptSource[] {
  const sources: AptSource[] = []
  for (const raw of text.split('\n')) {
    const line = raw
      .replace(/#.*/, '')
      .replace(/\[[^\]]*\]/, '')
      .trim()
    const [type, uri, suite, ...components] = line.split(/\s+/)
    if (type === 'deb' && uri && suite) sources.push({uris: [uri], suites: [suite], components})
  }
  return sources
}

function parseDeb822(text: string): AptSource[] {
  const sources: AptSource[] = []
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>()
    let current: string | undefined
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#')) continue
      const field = /^([A-Za-z-]+):\s*(.*)$/.exec(line)
      if (field?.[1] !== undefined) {
        current = field[1].toLowerCase()
        fields.set(current, field[2] ?? '')
      } else if (current && /^\s/.test(line)) {
        fields.set(current, `${fields.get(current)} ${line.trim()}`)
      }
    }
    const words = (name: string) => (fields.get(name) ?? '').split(/\s+/).filter(Boolean)
    if (fields.get('enabled')?.trim().toLowerCase() === 'no' || !words('types').includes('deb')) continue
    sources.push({uris: words('uris'), suites: words('suites'), components: words('components')})
  }
  return sources
}

/** The Debian archive and security mirrors this machine's apt uses, falling back to deb.debian.org. */
export function pickDebianMirrors(sources: AptSource[]): DebianMirrors {
  const withMain = sources.filter((source) => source.components.includes('main'))
  const isSecurity = (source: AptSource, uri: string) =>
    uri.includes('debian-security') || source.suites.some((suite) => suite.endsWith('-security'))
  let mirror: string | undefined
  let security: string | undefined
  for (const source of withMain) {
    for (const uri of source.uris) {
      if (isSecurity(source, uri)) security ??= uri
      else if (/\/debian\/?$/.test(uri) || source.suites.includes(SUITE)) mirror ??= uri
    }
  }
  return {
    mirror: (mirror ?? DEFAULT_MIRROR).replace(/\/$/, ''),
    security: (security ?? DEFAULT_SECURITY_MIRROR).replace(/\/$/, ''),
  }
}

export function hostDebianMirrors(aptDir = '/etc/apt'): DebianMirrors {
  const sources: AptSource[] = []
  const read = (file: string, deb822: boolean) => {
    try {
      sources.push(...parseAptSources(readFileSync(file, 'utf8'), deb822))
    } catch {
      return
    }
  }
  read(path.join(aptDir, 'sources.list'), false)
  let entries: string[] = []
  try {
    entries = readdirSync(path.join(aptDir, 'sources.list.d')).sort()
  } catch {
    entries = []
  }
  for (const entry of entries) {
    const file = path.join(aptDir, 'sources.list.d', entry)
    if (entry.endsWith('.list')) read(file, false)
    else if (entry.endsWith('.sources')) read(file, true)
  }
  return pickDebianMirrors(sources)
}
