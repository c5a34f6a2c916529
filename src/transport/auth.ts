import {readFile} from 'node:fs/promises'

import ssh2, {type AgentAuthMethod, type PublicKeyAuthMethod} from 'ssh2'

import type {SshTarget} from './types.js'

export interface AuthPlan {
  /** Tried in order by ssh2's authHandler: the agent first, then each usable identity file. */
  methods: (AgentAuthMethod | PublicKeyAuthMethod)[]
  /** What was tried, for the failure message: `agent`, then key paths. */
  tried: string[]
}

/**
 * The agent (when SSH_AUTH_SOCK is set) and every identity file that holds an unencrypted private key. Encrypted or
 * unreadable keys are skipped with a warning: ssh2 cannot prompt for a passphrase, the agent can hold them.
 */
export async function authPlan(target: SshTarget, warn: (message: string) => void): Promise<AuthPlan> {
  const username = target.user
  const methods: AuthPlan['methods'] = []
  const tried: string[] = []
  const agent = process.env.SSH_AUTH_SOCK
  if (agent) {
    methods.push({type: 'agent', username, agent})
    tried.push('agent')
  }
  for (const path of target.identityFiles) {
    const key = await readFile(path).catch((err: Error) => err)
    const parsed = key instanceof Error ? key : ssh2.utils.parseKey(key)
    if (parsed instanceof Error) {
      warn(
        /encrypted|passphrase/i.test(parsed.message)
          ? `skipping ${path}: it is encrypted; load it into ssh-agent (ssh-add ${path})`
          : `skipping ${path}: ${parsed.message}`,
      )
      continue
    }
    methods.push({type: 'publickey', username, key: key as Buffer})
    tried.push(path)
  }
  return {methods, tried}
}
