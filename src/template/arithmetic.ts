import {TemplateFault} from './fault.js'
import {percentFormat} from './format.js'
import {Undefined} from './undefined.js'
import {failUndefined, float, isFloat, isInt, isNumeric, isTuple, numberOf, tuple, typeName} from './values.js'

export type BinaryOperator = 'add' | 'sub' | 'mul' | 'div' | 'floordiv' | 'mod' | 'pow'

const SYMBOL: Record<BinaryOperator, string> = {
  add: '+',
  div: '/',
  floordiv: '//',
  mod: '%',
  mul: '*',
  pow: '** or pow()',
  sub: '-',
}

function unsupported(operator: BinaryOperator, a: unknown, b: unknown): TemplateFault {
  return new TemplateFault(`unsupported operand type(s) for ${SYMBOL[operator]}: '${typeName(a)}' and '${typeName(b)}'`)
}

/** An int result, or a float one when either operand is a float. */
function numeric(a: unknown, b: unknown, result: number): number | ReturnType<typeof float> {
  return isFloat(a) || isFloat(b) ? float(result) : result
}

function repeat(sequence: string | unknown[], times: unknown): string | unknown[] {
  if (!isInt(times) && typeof times !== 'boolean') {
    throw new TemplateFault(`can't multiply sequence by non-int of type '${typeName(times)}'`)
  }
  const count = Math.max(0, numberOf(times))
  if (typeof sequence === 'string') return sequence.repeat(count)
  const out: unknown[] = []
  for (let i = 0; i < count; i++) out.push(...sequence)
  return isTuple(sequence) ? tuple(out) : out
}

function pythonModulo(a: number, b: number): number {
  const remainder = a % b
  return remainder !== 0 && remainder < 0 !== b < 0 ? remainder + b : remainder
}

function zeroDivision(a: unknown, b: unknown, what: string): TemplateFault {
  return new TemplateFault(isFloat(a) || isFloat(b) ? `float ${what}` : 'integer division or modulo by zero')
}

/** Python's binary arithmetic operators on template values. */
export function arithmetic(operator: BinaryOperator, a: unknown, b: unknown): unknown {
  if (a instanceof Undefined) failUndefined(a)
  if (b instanceof Undefined) failUndefined(b)
  if (operator === 'mod' && typeof a === 'string') return percentFormat(a, b)
  if (!isNumeric(a) || !isNumeric(b)) {
    if (operator === 'add') {
      if (typeof a === 'string' && typeof b === 'string') return a + b
      if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) {
        return isTuple(a) ? tuple([...a, ...b]) : [...a, ...b]
      }
      if (typeof a === 'string' || Array.isArray(a)) {
        const kind = typeof a === 'string' ? 'str' : typeName(a)
        throw new TemplateFault(`can only concatenate ${kind} (not "${typeName(b)}") to ${kind}`)
      }
    }
    if (operator === 'mul') {
      if (typeof a === 'string' || Array.isArray(a)) return repeat(a, b)
      if (typeof b === 'string' || Array.isArray(b)) return repeat(b, a)
    }
    throw unsupported(operator, a, b)
  }
  const x = numberOf(a)
  const y = numberOf(b)
  switch (operator) {
    case 'add':
      return numeric(a, b, x + y)
    case 'sub':
      return numeric(a, b, x - y)
    case 'mul':
      return numeric(a, b, x * y)
    case 'div':
      if (y === 0) throw new TemplateFault(isFloat(a) || isFloat(b) ? 'float division by zero' : 'division by zero')
      return float(x / y)
    case 'floordiv':
      if (y === 0) throw zeroDivision(a, b, 'floor division by zero')
      return numeric(a, b, Math.floor(x / y))
    case 'mod':
      if (y === 0) throw zeroDivision(a, b, 'modulo')
      return numeric(a, b, pythonModulo(x, y))
    case 'pow':
      if (x === 0 && y < 0) throw new TemplateFault('0.0 cannot be raised to a negative power')
      return isFloat(a) || isFloat(b) || y < 0 ? float(x ** y) : x ** y
  }
}

/** Python's unary `-x` and `+x`. */
export function unary(operator: 'neg' | 'pos', value: unknown): unknown {
  if (value instanceof Undefined) failUndefined(value)
  if (!isNumeric(value)) {
    throw new TemplateFault(`bad operand type for unary ${operator === 'neg' ? '-' : '+'}: '${typeName(value)}'`)
  }
  const number = numberOf(value)
  const result = operator === 'neg' ? -number : number
  return isFloat(value) ? float(result) : result === 0 ? 0 : result
}
