/** A float's exact value as `digits / 10**scale` (every finite double has a finite decimal expansion). */
interface Exact {
  negative: boolean
  digits: bigint
  scale: number
}

function exact(value: number): Exact {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, value)
  const bits = view.getBigUint64(0)
  const negative = bits >> 63n === 1n
  const biased = Number((bits >> 52n) & 0x7ffn)
  const fraction = bits & 0xfffffffffffffn
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n)
  const exponent = (biased === 0 ? 1 : biased) - 1075
  if (exponent >= 0) return {digits: mantissa << BigInt(exponent), negative, scale: 0}
  return {digits: mantissa * 5n ** BigInt(-exponent), negative, scale: -exponent}
}

/** digits / 10**cut, rounded half to even (Python's rounding of the exact value). */
function roundOff(digits: bigint, cut: number): bigint {
  if (cut <= 0) return digits * 10n ** BigInt(-cut)
  const divisor = 10n ** BigInt(cut)
  const quotient = digits / divisor
  const twice = (digits % divisor) * 2n
  return twice > divisor || (twice === divisor && quotient % 2n === 1n) ? quotient + 1n : quotient
}

function withPoint(digits: string, decimals: number): string {
  if (decimals === 0) return digits
  const padded = digits.padStart(decimals + 1, '0')
  return `${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`
}

/** `'%.{decimals}f' % value` for a finite value, without the sign. */
export function fixedDigits(value: number, decimals: number): string {
  const {digits, scale} = exact(value)
  return withPoint(roundOff(digits, scale - decimals).toString(), decimals)
}

/** The value rounded to `significant` digits: those digits and the decimal exponent of the first. */
function significantDigits(value: number, significant: number): {digits: string; exponent: number} {
  const {digits, scale} = exact(value)
  if (digits === 0n) return {digits: '0'.repeat(significant), exponent: 0}
  const length = digits.toString().length
  let rounded = roundOff(digits, length - significant).toString()
  let exponent = length - scale - 1
  if (rounded.length > significant) {
    rounded = rounded.slice(0, significant)
    exponent += 1
  }
  return {digits: rounded, exponent}
}

function exponentSuffix(exponent: number): string {
  return `e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
}

/** `'%.{decimals}e' % value` for a finite value, without the sign. */
export function exponentDigits(value: number, decimals: number): string {
  const {digits, exponent} = significantDigits(value, decimals + 1)
  return `${withPoint(digits, decimals)}${exponentSuffix(exponent)}`
}

/** `'%.{precision}g' % value` for a finite value, without the sign; `alternate` keeps trailing zeros (`%#g`). */
export function generalDigits(value: number, precision: number, alternate: boolean): string {
  const significant = precision === 0 ? 1 : precision
  const {exponent} = significantDigits(value, significant)
  const trim = (text: string): string => (alternate ? text : text.replace(/\.?0+$/, ''))
  if (exponent >= -4 && exponent < significant) return trim(fixedDigits(value, significant - 1 - exponent))
  const {digits} = significantDigits(value, significant)
  const mantissa = withPoint(digits, significant - 1)
  return `${alternate ? mantissa : mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa}${exponentSuffix(exponent)}`
}

/** Python's round(value, ndigits) for a float. */
export function roundHalfEven(value: number, ndigits: number): number {
  if (!Number.isFinite(value)) return value
  const text = fixedDigits(Math.abs(value), Math.max(ndigits, 0))
  const magnitude = ndigits >= 0 ? Number(text) : roundNegative(Math.abs(value), -ndigits)
  return value < 0 ? -magnitude : magnitude
}

function roundNegative(value: number, places: number): number {
  const {digits, scale} = exact(value)
  return Number(roundOff(digits, scale + places) * 10n ** BigInt(places))
}
