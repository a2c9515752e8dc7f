// ISO 4217 minor-unit exponents that are not 2. Amounts arrive in minor units, so a rate of
// "1 point per 1.00" means per 100 cents but per 1 yen; without this a yen shop would earn a
// hundredth of what its merchant configured.
const ZERO_DECIMAL = new Set(
  "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(" "),
);
const THREE_DECIMAL = new Set("BHD IQD JOD KWD LYD OMR TND".split(" "));

/** Minor units in one unit of the currency: 100 for USD, 1 for JPY, 1000 for KWD. */
export function minorUnitsPerUnit(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 1;
  if (THREE_DECIMAL.has(code)) return 1000;
  return 100;
}
