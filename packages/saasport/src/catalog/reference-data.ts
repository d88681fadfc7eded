/** Identifier formats and code lists the catalog checks against. */

/** Any 32-hex-digit GUID layout; live subscription and tenant ids are not always RFC-4122 versioned (spec §1.5). */
export const guidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isGuid(value: string): boolean {
  return guidPattern.test(value);
}

/** ISO 3166-1 alpha-2 country codes (all 249 officially assigned). */
const isoCountryCodes = new Set(
  (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT " +
    "JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY " +
    "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM " +
    "PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
    "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
  ).split(" "),
);

export function isMarketCode(value: string): boolean {
  return isoCountryCodes.has(value);
}

/** ISO 4217 codes known to the runtime's ICU data. */
const isoCurrencyCodes = new Set(Intl.supportedValuesOf("currency"));

export function isCurrencyCode(value: string): boolean {
  return isoCurrencyCodes.has(value);
}

export const defaultMarkets: readonly string[] = ["US"];
export const defaultCurrency = "USD";

/** The one placeholder a catalog's URLs may use; replaced with the server's base URL when applied. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: this is the literal placeholder catalog files contain.
export const baseUrlPlaceholder = "${SAASPORT_URL}";

export function resolveBaseUrlPlaceholder(template: string, baseUrl: string): string {
  return template.replaceAll(baseUrlPlaceholder, baseUrl.replace(/\/+$/, ""));
}
