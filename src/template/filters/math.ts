import type {Filter} from '../environment.js'
import {TemplateFault} from '../fault.js'
import {checkDefined, float, isNumeric, numberOf, typeName} from '../values.js'
import {define} from './define.js'

function number(value: unknown, filter: string): number {
  checkDefined(value)
  if (!isNumeric(value)) {
    throw new TemplateFault(`${filter}() can only be used on numbers: must be real number, not ${typeName(value)}`)
  }
  return numberOf(value)
}

function domain(result: number): number {
  if (Number.isNaN(result)) throw new TemplateFault('math domain error')
  return result
}

export const MATH_FILTERS: Record<string, Filter> = {
  log: define(['base'], 0, (value, base) => {
    const x = number(value, 'log')
    if (x <= 0) throw new TemplateFault('math domain error')
    if (base === undefined) return float(Math.log(x))
    const b = number(base, 'log')
    return float(b === 10 ? Math.log10(x) : domain(Math.log(x) / Math.log(b)))
  }),
  pow: define(['y'], 1, (value, exponent) => float(domain(number(value, 'pow') ** number(exponent, 'pow')))),
  root: define(['base'], 0, (value, base) => {
    const x = number(value, 'root')
    const b = base === undefined ? 2 : number(base, 'root')
    return float(domain(b === 2 ? Math.sqrt(x) : x ** (1 / b)))
  }),
}
