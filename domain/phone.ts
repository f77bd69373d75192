// Phone numbers are stored in E.164; a national number takes the configured default country.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export function toE164(input: string, defaultCountry: string): string | null {
  const parsed = parsePhoneNumberFromString(input, defaultCountry as CountryCode);
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}
