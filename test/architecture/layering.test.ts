import {ESLint} from 'eslint'
import {describe, expect, it} from 'vitest'

import {ROOT} from '../support/cli.js'

const eslint = new ESLint({cwd: ROOT})

/** What the lint says of a module with this text at this path (nothing is written to disk). */
async function problemsOf(file: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, {filePath: `${ROOT}/${file}`})
  return result!.messages.map((message) => `${message.ruleId}: ${message.message}`)
}

describe('the layering of docs/architecture.md, enforced by the lint', () => {
  it('holds for every module of the tree (npm run lint)', async () => {
    const results = await eslint.lintFiles(['.'])
    const problems = results.flatMap((result) =>
      result.messages.map((m) => `${result.filePath.slice(ROOT.length + 1)}:${m.line}: ${m.ruleId}: ${m.message}`),
    )
    expect(problems).toEqual([])
  }, 300_000)

  it.each([
    ['src/engine/x.ts', "import {BaseCommand} from '../cli/base-command.js'\nexport const x = BaseCommand\n"],
    ['src/health/x.ts', "import {converge} from '../services/converge.js'\nexport const x = converge\n"],
    ['src/core/x.ts', "import {Session} from '../fanout/session.js'\nexport const x = Session\n"],
    ['src/services/x.ts', "import {BaseCommand} from '../cli/base-command.js'\nexport const x = BaseCommand\n"],
    ['src/roles/zfs/x.ts', "import {Session} from '../../fanout/session.js'\nexport const x = Session\n"],
    ['src/roles/zfs/x.ts', "import {SshTransport} from '../../transport/ssh.js'\nexport const x = SshTransport\n"],
  ])('refuses %s importing across the layers: %j', async (file, text) => {
    expect(await problemsOf(file, text)).toEqual([expect.stringMatching(/^import-x\/no-restricted-paths: /)])
  })

  it('lets a role use the pure transport formats', async () => {
    expect(
      await problemsOf('src/roles/zfs/x.ts', "import {shq} from '../../transport/quote.js'\nexport const x = shq\n"),
    ).toEqual([])
  })

  it('refuses an import cycle', async () => {
    const cycle = "import {renderTemplate} from './template.js'\nexport const x = renderTemplate\n"
    expect(await problemsOf('src/template/holds-template.ts', cycle)).toEqual([
      'import-x/no-cycle: Dependency cycle detected',
    ])
  })
})
