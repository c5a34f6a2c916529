import type {RenderReport} from '../../services/render-roles.js'
import type {Renderer} from '../renderer.js'

/** Per role: how many files for how many hosts, and where; then each host's warnings. */
export const renderRolesRenderer: Renderer<RenderReport> = {
  text: (report) => ({
    stdout: report.roles
      .flatMap((role) => {
        const files = role.hosts.reduce((sum, host) => sum + host.files.length, 0)
        return [
          `${role.role}: ${files} files for ${role.hosts.length} hosts in ${report.out}/${role.role}/\n`,
          ...role.hosts.flatMap((host) => host.warnings.map((warning) => `  warning: ${host.host}: ${warning}\n`)),
        ]
      })
      .join(''),
  }),
}
