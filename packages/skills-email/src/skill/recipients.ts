/**
 * True when the address belongs to one of the internal domains (or a subdomain of one). With no internal
 * domains configured, every recipient counts as outside: nothing is assumed safe by default.
 */
export function isInternalAddress(address: string, internalDomains: readonly string[]): boolean {
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  return internalDomains.some((d) => domain === d || domain.endsWith(`.${d}`));
}

/** The addresses outside the internal domains, in the order given, without duplicates. */
export function externalRecipients(addresses: readonly string[], internalDomains: readonly string[]): string[] {
  return [...new Set(addresses.map((a) => a.toLowerCase()))].filter((a) => !isInternalAddress(a, internalDomains));
}
