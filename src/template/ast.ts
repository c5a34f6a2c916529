import type {BinaryOperator} from './arithmetic.js'
import type {ComparisonOperator} from './compare.js'

interface At {
  /** Offset into the normalised template text. */
  offset: number
}

export interface CallArguments {
  args: Expr[]
  kwargs: [name: string, value: Expr][]
  dynArgs: Expr | undefined
  dynKwargs: Expr | undefined
}

export type Expr =
  | (At & {type: 'const'; value: unknown})
  | (At & {type: 'name'; name: string})
  | (At & {type: 'list' | 'tuple'; items: Expr[]})
  | (At & {type: 'dict'; pairs: [key: Expr, value: Expr][]})
  | (At & {type: 'getattr'; node: Expr; attribute: string})
  | (At & {type: 'getitem'; node: Expr; argument: Expr})
  | (At & {type: 'slice'; start: Expr | undefined; stop: Expr | undefined; step: Expr | undefined})
  | (At & {type: 'call'; node: Expr} & CallArguments)
  | FilterExpr
  | (At & {type: 'test'; node: Expr; name: string} & CallArguments)
  | (At & {type: 'condexpr'; test: Expr; then: Expr; otherwise: Expr | undefined})
  | (At & {type: 'and' | 'or'; left: Expr; right: Expr})
  | (At & {type: 'not'; node: Expr})
  | (At & {type: 'compare'; first: Expr; ops: [operator: ComparisonOperator | 'in' | 'notin', operand: Expr][]})
  | (At & {type: 'binary'; operator: BinaryOperator; left: Expr; right: Expr})
  | (At & {type: 'unary'; operator: 'neg' | 'pos'; node: Expr})
  | (At & {type: 'concat'; nodes: Expr[]})

/** A filter; `node` is undefined for the filters of a `{% set x | f %}` block, which apply to the block's text. */
export type FilterExpr = At & {type: 'filter'; node: Expr | undefined; name: string} & CallArguments

/** What a `for` or `set` assigns to: a name or a (nested) tuple of names. */
export type Target = (At & {type: 'name'; name: string}) | (At & {type: 'tuple'; items: Target[]})

export type Stmt =
  | (At & {type: 'text'; value: string})
  | (At & {type: 'output'; expr: Expr})
  | (At & {type: 'if'; test: Expr; body: Stmt[]; otherwise: Stmt[]})
  | (At & {
      type: 'for'
      target: Target
      iter: Expr
      filter: Expr | undefined
      body: Stmt[]
      otherwise: Stmt[]
    })
  | (At & {type: 'set'; target: Target; expr: Expr})
  | (At & {type: 'setattr'; namespace: string; attribute: string; expr: Expr})
  | (At & {type: 'setblock'; target: Target; filter: FilterExpr | undefined; body: Stmt[]})
