import * as vega from 'vega'
import * as vl from 'vega-lite'

import type {BenchResults} from './results.js'

/** Wall time against node count per tool: ad-hoc and the two no-op converges, medians with min–max bars (Vega-Lite). */
export async function chartSvg(results: BenchResults): Promise<string> {
  const rows = results.counts.flatMap((count) =>
    [
      ...count.adhoc.map((timing) => ({timing, workload: 'ad-hoc: uptime on every node'})),
      ...count.noop.configure_cluster.map((timing) => ({timing, workload: 'no-op configure_cluster'})),
      ...count.noop.setup_slurm.map((timing) => ({timing, workload: 'no-op setup_slurm'})),
    ].map(({timing, workload}) => ({
      max: timing.max / 1000,
      median: timing.median / 1000,
      min: timing.min / 1000,
      nodes: count.nodes,
      tool: timing.name,
      workload,
    })),
  )
  const x = {field: 'nodes', title: 'nodes', type: 'quantitative' as const, scale: {domain: [0, 50]}}
  const color = {field: 'tool', title: 'tool', type: 'nominal' as const}
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: {values: rows},
    facet: {column: {field: 'workload', title: null, type: 'nominal'}},
    resolve: {scale: {y: 'independent'}},
    spec: {
      height: 260,
      width: 260,
      layer: [
        {
          encoding: {
            color,
            x,
            y: {
              field: 'min',
              scale: {type: 'log'},
              title: 'wall time, s (log scale; median, min–max)',
              type: 'quantitative',
            },
            y2: {field: 'max'},
          },
          mark: {type: 'rule'},
        },
        {
          encoding: {color, x, y: {field: 'median', type: 'quantitative'}},
          mark: {point: true, type: 'line'},
        },
      ],
    },
    title: `goldentooth vs GNU parallel + ssh, pssh and Ansible on the lab (${results.machine.cores} cores)`,
  }
  const compiled = vl.compile(spec).spec
  const view = new vega.View(vega.parse(compiled), {renderer: 'none'})
  return view.toSVG()
}
