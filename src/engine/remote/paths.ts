/** Where the engine keeps its own state on each host. */
export interface EnginePaths {
  backupDir: string
  lockFile: string
  pendingDir: string
  stagingDir: string
}

export const ENGINE_PATHS: EnginePaths = {
  backupDir: '/var/backups/goldentooth',
  lockFile: '/run/goldentooth.lock',
  pendingDir: '/var/lib/goldentooth/pending',
  stagingDir: '/var/cache/goldentooth/staging',
}
