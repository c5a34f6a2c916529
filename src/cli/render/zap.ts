import type {ZapReport} from '../../services/zap.js'
import type {Renderer} from '../renderer.js'

export const zapRenderer: Renderer<ZapReport> = {
  text: (report) => ({stdout: `${report.host}: deleted ${report.deleted} entries in ${report.directory}\n`}),
}
