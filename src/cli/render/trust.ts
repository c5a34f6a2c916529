import type {TrustReport} from '../../services/trust.js'
import type {Renderer} from '../renderer.js'

export const trustRenderer: Renderer<TrustReport> = {
  text: (report) => ({
    stdout: report.changed
      ? `${report.file}: trusts the cluster's SSH host CA\n`
      : `${report.file}: already trusts it\n`,
  }),
}
