/** The authority-wide claims goldentooth keeps in the CA's ca.json; everything else in the file is left as it is. */
export interface AuthorityClaims {
  allowRenewalAfterExpiry: boolean
  maxTLSCertDuration: string
}

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * ca.json with the authority's claims set; the original text when they are already so (no rewrite, no restart).
 * Throws when the text is not a step-ca configuration.
 */
export function withAuthorityClaims(text: string, claims: AuthorityClaims): string {
  const config: unknown = JSON.parse(text)
  if (!isObject(config) || !isObject(config.authority)) throw new Error('it has no "authority" object')
  const current = isObject(config.authority.claims) ? config.authority.claims : {}
  if (Object.entries(claims).every(([key, value]) => current[key] === value)) return text
  config.authority.claims = {...current, ...claims}
  return `${JSON.stringify(config, null, '\t')}\n`
}
