import {createHash} from 'node:crypto'
import {describe, expect, it} from 'vitest'

import type {PlannedResource} from '../../src/engine/compare.js'
import type {Observed, PathState, UnitState} from '../../src/engine/observed.js'
import type {Resource} from '../../src/engine/resources.js'

import {compare} from '../../src/engine/compare.js'
import {parseProbe} from '../../src/engine/observed.js'
import {probeSpecFor} from '../../src/engine/probe-spec.js'
import {directory, file, packages, service} from '../../src/engine/resources.js'

const NOW = 1_700_000_000
const nothing = parseProbe('', probeSpecFor([]))

/** What a probe would have seen: nothing on the host unless `parts` says so, apt lists refreshed an hour ago. */
function seen(parts: Partial<Observed> = {}): Observed {
  return {...nothing, facts: {...nothing.facts, aptListsMtime: NOW - 3600, now: NOW}, ...parts}
}

const sha256 = (content: string) => createHash('sha256').update(content).digest('hex')

function onDisk(path: string, state: Partial<Extract<PathState, {exists: true}>> & {content?: Buffer}): Observed {
  const content = state.content ?? Buffer.alloc(0)
  return seen({
    paths: new Map([
      [
        path,
        {
          exists: true,
          group: 'root',
          mode: 0o644,
          owner: 'root',
          sha256: createHash('sha256').update(content).digest('hex'),
          size: content.length,
          type: 'file',
          ...state,
        },
      ],
    ]),
  })
}

const text = (path: string, content: string, state: Partial<Extract<PathState, {exists: true}>> = {}) =>
  onDisk(path, {content: Buffer.from(content), ...state})

const unit = (state: Partial<UnitState>): Map<string, UnitState> =>
  new Map([
    [
      'demo.service',
      {
        activeState: 'inactive',
        conditionResult: '',
        loadState: 'loaded',
        subState: 'dead',
        unitFileState: 'disabled',
        ...state,
      },
    ],
  ])

const identity = (value: string) => value

/** Properties each planned resource has; one given as undefined it must not have. */
type Expected = Record<string, unknown>

const cases: Array<[string, Resource[], Observed, Expected[]]> = [
  [
    'file absent: written',
    [file('/etc/a', 'x\n')],
    seen(),
    [{action: {op: 'write'}, reasons: ['absent'], status: 'change'}],
  ],
  ['file as wanted: ok', [file('/etc/a', 'x\n')], text('/etc/a', 'x\n'), [{reasons: [], status: 'ok'}]],
  [
    'file content differs: written',
    [file('/etc/a', 'y\n')],
    text('/etc/a', 'x\n'),
    [{action: {op: 'write'}, reasons: ['content differs'], status: 'change'}],
  ],
  [
    'file content and owner differ',
    [file('/etc/a', 'y\n')],
    text('/etc/a', 'x\n', {owner: 'nobody'}),
    [{reasons: ['content differs', 'owner nobody:root -> root:root']}],
  ],
  [
    'file content matches, mode differs: attributes only',
    [file('/etc/a', 'x\n', {mode: 0o600})],
    text('/etc/a', 'x\n'),
    [{action: {mode: 0o600, op: 'attrs', path: '/etc/a'}, reasons: ['mode 0644 -> 0600'], status: 'change'}],
  ],
  [
    'secret file differs: no diff',
    [file('/etc/key', 'new', {secret: true})],
    onDisk('/etc/key', {sha256: sha256('old')}),
    [{diff: undefined, reasons: ['secret content differs'], status: 'change'}],
  ],
  [
    'file where a directory is',
    [file('/etc/a', 'x\n')],
    onDisk('/etc/a', {type: 'directory'}),
    [{action: {op: 'write'}, reasons: ['is a directory, not a file']}],
  ],
  [
    'file with a validation: the action carries it',
    [file('/etc/a', 'x\n', {validate: 'check %s'})],
    seen(),
    [{action: {op: 'write', validate: 'check %s'}}],
  ],
  ['binary file: no diff', [file('/etc/bin', Buffer.from([0, 1, 2]))], seen(), [{diff: undefined, status: 'change'}]],
  ['directory absent', [directory('/srv/d')], seen(), [{action: {op: 'mkdir'}, reasons: ['absent']}]],
  [
    'directory where a file is',
    [directory('/srv/d')],
    onDisk('/srv/d', {}),
    [{action: {op: 'mkdir'}, reasons: ['is a file, not a directory']}],
  ],
  [
    'directory with another mode',
    [directory('/srv/d', {mode: 0o700})],
    onDisk('/srv/d', {mode: 0o755, type: 'directory'}),
    [{action: {op: 'attrs'}, reasons: ['mode 0755 -> 0700']}],
  ],
  ['directory as wanted', [directory('/srv/d')], onDisk('/srv/d', {mode: 0o755, type: 'directory'}), [{status: 'ok'}]],
  [
    'symlink as wanted',
    [{kind: 'symlink', path: '/l', target: '/t'}],
    onDisk('/l', {linkTarget: '/t', type: 'symlink'}),
    [{status: 'ok'}],
  ],
  [
    'symlink elsewhere',
    [{kind: 'symlink', path: '/l', target: '/t'}],
    onDisk('/l', {linkTarget: '/u', type: 'symlink'}),
    [{action: {op: 'symlink', target: '/t'}, reasons: ['points to /u']}],
  ],
  [
    'symlink where a file is',
    [{kind: 'symlink', path: '/l', target: '/t'}],
    onDisk('/l', {}),
    [{reasons: ['is a file']}],
  ],
  ['absent path already gone', [{kind: 'absent', path: '/x'}], seen(), [{status: 'ok'}]],
  [
    'absent path present: removed',
    [{kind: 'absent', path: '/x'}],
    onDisk('/x', {}),
    [{action: {op: 'remove'}, reasons: ['present']}],
  ],
  [
    'absent path is a directory: a warning',
    [{kind: 'absent', path: '/x'}],
    onDisk('/x', {type: 'directory'}),
    [{action: undefined, reasons: ['is a directory; remove it by hand'], status: 'warning'}],
  ],
  ...((): Array<[string, Resource[], Observed, Expected[]]> => {
    const artifact: Resource = {
      group: 'root',
      kind: 'artifact',
      localPath: '/cache/bin',
      mode: 0o755,
      owner: 'root',
      path: '/usr/local/bin/x',
      sha256: sha256('binary'),
    }
    return [
      [
        'artifact absent',
        [artifact],
        seen(),
        [{action: {localPath: '/cache/bin', op: 'artifact'}, reasons: ['absent']}],
      ],
      ['artifact differs', [artifact], onDisk('/usr/local/bin/x', {mode: 0o755}), [{reasons: ['sha256 differs']}]],
      [
        'artifact with another mode',
        [artifact],
        onDisk('/usr/local/bin/x', {sha256: sha256('binary')}),
        [{action: {op: 'attrs'}, reasons: ['mode 0644 -> 0755']}],
      ],
      [
        'artifact as wanted',
        [artifact],
        onDisk('/usr/local/bin/x', {mode: 0o755, sha256: sha256('binary')}),
        [{status: 'ok'}],
      ],
    ]
  })(),
  ['group present', [{kind: 'group', name: 'g'}], seen({groups: new Map([['g', true]])}), [{status: 'ok'}]],
  [
    'group absent',
    [{gid: 901, kind: 'group', name: 'g'}],
    seen(),
    [{action: {gid: 901, name: 'g', op: 'group'}, reasons: ['absent']}],
  ],
  [
    'user absent',
    [{group: 'u', home: '/home/u', kind: 'user', name: 'u', shell: '/bin/sh'}],
    seen(),
    [{action: {exists: false, op: 'user'}, reasons: ['absent']}],
  ],
  [
    'user with another shell',
    [{group: 'u', home: '/home/u', kind: 'user', name: 'u', shell: '/bin/bash'}],
    seen({users: new Map([['u', {group: 'u', home: '/home/u', shell: '/bin/sh', uid: 1000}]])}),
    [{action: {exists: true, op: 'user'}, reasons: ['shell /bin/sh -> /bin/bash']}],
  ],
  [
    'user as wanted',
    [{group: 'u', home: '/home/u', kind: 'user', name: 'u', shell: '/bin/sh'}],
    seen({users: new Map([['u', {group: 'u', home: '/home/u', shell: '/bin/sh', uid: 1000}]])}),
    [{status: 'ok'}],
  ],
  [
    'packages installed',
    [packages(['a', 'b'])],
    seen({
      packages: new Map([
        ['a', {installed: true, version: '1'}],
        ['b', {installed: true, version: '1'}],
      ]),
    }),
    [{status: 'ok'}],
  ],
  [
    'a package missing, apt lists fresh',
    [packages(['a', 'b'])],
    seen({packages: new Map([['a', {installed: true, version: '1'}]])}),
    [{action: {names: ['b'], op: 'install', update: false}, reasons: ['not installed: b']}],
  ],
  [
    'a package missing, apt lists a day old',
    [packages(['a'])],
    seen({facts: {...nothing.facts, aptListsMtime: NOW - 25 * 3600, now: NOW}}),
    [{action: {op: 'install', update: true}}],
  ],
  [
    'a package missing and an apt source changing: lists refreshed first',
    [file('/etc/apt/sources.list.d/x.sources', 'Types: deb\n'), packages(['a'])],
    seen(),
    [{status: 'change'}, {action: {op: 'install', update: true}}],
  ],
  [
    'a package to remove, installed',
    [packages(['a', 'b'], 'absent')],
    seen({packages: new Map([['a', {installed: true, version: '1'}]])}),
    [{action: {names: ['a'], op: 'purge'}, reasons: ['installed: a']}],
  ],
  ['a package to remove, not installed', [packages(['a'], 'absent')], seen(), [{status: 'ok'}]],
  [
    'service not loaded yet: enabled and started',
    [service('demo')],
    seen(),
    [
      {
        action: {enable: true, op: 'service', start: true, unit: 'demo.service'},
        reasons: ['not enabled', 'not loaded yet'],
      },
    ],
  ],
  [
    'service enabled and running',
    [service('demo')],
    seen({units: unit({activeState: 'active', unitFileState: 'enabled'})}),
    [{status: 'ok'}],
  ],
  [
    'service to stop and disable',
    [service('demo', {enabled: false, state: 'stopped'})],
    seen({units: unit({activeState: 'active', unitFileState: 'enabled'})}),
    [{action: {disable: true, stop: true}, reasons: ['enabled', 'running']}],
  ],
  [
    'service whose conditions do not hold: a warning, not a start',
    [service('demo')],
    seen({units: unit({conditionResult: 'no', unitFileState: 'enabled'})}),
    [
      {
        reasons: ['not started: its unit conditions (Condition*=) do not hold on this host (not virtualized)'],
        status: 'warning',
      },
    ],
  ],
  [
    'module loaded',
    [{kind: 'kernel-module', name: 'm'}],
    seen({modules: new Map([['m', 'loaded']])}),
    [{status: 'ok'}],
  ],
  [
    'module missing',
    [{kind: 'kernel-module', name: 'm'}],
    seen({modules: new Map([['m', 'missing']])}),
    [{action: {op: 'modprobe'}}],
  ],
  [
    'module on a kernel without modules',
    [{kind: 'kernel-module', name: 'm'}],
    seen({modules: new Map([['m', 'builtin-kernel']])}),
    [{status: 'warning'}],
  ],
  [
    'module in a container',
    [{kind: 'kernel-module', name: 'm'}],
    seen({facts: {...nothing.facts, virtualization: 'systemd-nspawn'}, modules: new Map([['m', 'missing']])}),
    [
      {
        reasons: ['not loaded, and a systemd-nspawn container cannot load modules: load it on the host'],
        status: 'warning',
      },
    ],
  ],
  [
    'sysctl equal but for whitespace',
    [{kind: 'sysctl', name: 'net.x', value: '4096 87380'}],
    seen({sysctls: new Map([['net.x', '4096\t 87380']])}),
    [{status: 'ok'}],
  ],
  [
    'sysctl differs',
    [{kind: 'sysctl', name: 'net.x', value: '1'}],
    seen({sysctls: new Map([['net.x', '0']])}),
    [{action: {op: 'sysctl', tolerateFailure: false, value: '1'}, reasons: ['0 -> 1']}],
  ],
  [
    'sysctl missing from the kernel, in a container: its failure tolerated',
    [{kind: 'sysctl', name: 'net.x', value: '1'}],
    seen({facts: {...nothing.facts, virtualization: 'lxc'}, sysctls: new Map([['net.x', null]])}),
    [{action: {tolerateFailure: true}, reasons: ['not present in this kernel']}],
  ],
  [
    'command whose file exists',
    [{creates: '/done', id: 'c', kind: 'command', run: 'x'}],
    seen({guards: new Map([['c', {createsExists: true}]])}),
    [{status: 'ok'}],
  ],
  [
    'command whose file does not',
    [{creates: '/done', id: 'c', kind: 'command', run: 'x'}],
    seen({guards: new Map([['c', {createsExists: false}]])}),
    [{action: {op: 'command', run: 'x'}, reasons: ['/done absent']}],
  ],
  [
    'command whose unless-check passes',
    [{id: 'c', kind: 'command', run: 'x', unless: 'true'}],
    seen({guards: new Map([['c', {unlessStatus: 0}]])}),
    [{status: 'ok'}],
  ],
  [
    'command whose unless-check fails',
    [{id: 'c', kind: 'command', run: 'x', unless: 'false'}],
    seen({guards: new Map([['c', {unlessStatus: 1}]])}),
    [{reasons: ['unless-check failed']}],
  ],
  ['command without a guard', [{id: 'c', kind: 'command', run: 'x'}], seen(), [{reasons: ['planned by the role']}]],
  [
    'a change notifies; no change, no notification',
    [
      file('/etc/a', 'x\n', {notify: [{action: 'restart', service: 'a'}]}),
      file('/etc/b', 'x\n', {notify: [{action: 'restart', service: 'b'}]}),
    ],
    text('/etc/b', 'x\n'),
    [{notify: [{action: 'restart', service: 'a'}]}, {notify: []}],
  ],
  [
    'a unit file changes: daemon-reload',
    [file('/etc/systemd/system/demo.service', '[Unit]\n'), file('/etc/demo.conf', 'x\n')],
    seen(),
    [{unitChanged: true}, {unitChanged: false}],
  ],
]

describe('compare', () => {
  it.each(cases)('%s', (_, resources, observed, expected) => {
    const planned = compare(resources, observed, identity)
    const present = expected.map((want) =>
      Object.fromEntries(Object.entries(want).filter(([, value]) => value !== undefined)),
    )
    expect(planned).toMatchObject(present)
    expected.forEach((want, index) => {
      for (const [key, value] of Object.entries(want))
        if (value === undefined) expect(planned[index]).not.toHaveProperty(key)
    })
  })

  it('diffs a text file against what is there, through the mask', () => {
    const [planned] = compare([file('/etc/a', 'port 2\nsecret s3cr3t\n')], text('/etc/a', 'port 1\n'), (value) =>
      value.replaceAll('s3cr3t', '********'),
    )
    expect(planned?.diff).toBe(
      '--- /etc/a\ton host\n+++ /etc/a\tplanned\n@@ -1,1 +1,2 @@\n-port 1\n+port 2\n+secret ********\n',
    )
  })

  it('edits of one file see each other: a line, then a block, over what is there', () => {
    const ownership = {group: 'root', mode: 0o644, owner: 'root'}
    const planned = compare(
      [
        {...ownership, kind: 'line', line: 'Port 2222', match: '^#?Port ', path: '/etc/ssh/sshd_config'},
        {...ownership, block: 'X yes', kind: 'block', marker: 'gt', path: '/etc/ssh/sshd_config'},
        {...ownership, kind: 'line', line: 'Port 2222', match: '^#?Port ', path: '/etc/ssh/sshd_config'},
      ],
      text('/etc/ssh/sshd_config', '#Port 22\nUsePAM yes\n'),
      identity,
    )
    const written = (item: PlannedResource | undefined) =>
      item?.action?.op === 'write' ? item.action.content.toString('utf8') : undefined
    expect(written(planned[0])).toBe('Port 2222\nUsePAM yes\n')
    expect(written(planned[1])).toBe('Port 2222\nUsePAM yes\n# BEGIN gt\nX yes\n# END gt\n')
    expect(planned[2]?.status).toBe('ok')
  })
})
