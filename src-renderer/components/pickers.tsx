import Autocomplete, { createFilterOptions } from '@mui/material/Autocomplete';
import TextField from '@mui/material/TextField';

/**
 * Languages and countries chosen by name; the stored value stays the code (BCP 47 language tag,
 * ISO 3166 alpha-2 region). Names come from the browser's Intl.DisplayNames, in English.
 */

/** The languages a clinic's patients most often speak or need an interpreter for (a maintained list). */
export const LANGUAGE_CODES = [
  'en', 'es', 'es-MX', 'fr', 'de', 'it', 'pt', 'pt-BR', 'nl', 'sv', 'nb', 'da', 'fi', 'is', 'pl', 'cs', 'sk', 'hu', 'ro', 'bg',
  'hr', 'sr', 'bs', 'sl', 'sq', 'el', 'tr', 'ru', 'uk', 'be', 'lt', 'lv', 'et', 'ka', 'hy', 'az', 'kk', 'uz',
  'ar', 'he', 'fa', 'prs', 'ps', 'ku', 'ur', 'hi', 'bn', 'pa', 'gu', 'mr', 'ta', 'te', 'kn', 'ml', 'si', 'ne',
  'zh', 'zh-Hans', 'zh-Hant', 'yue', 'ja', 'ko', 'mn', 'vi', 'th', 'lo', 'km', 'my', 'tl', 'id', 'ms', 'hmn',
  'am', 'ti', 'so', 'sw', 'yo', 'ig', 'ha', 'zu', 'xh', 'af', 'ht', 'ga', 'cy', 'mt', 'eu', 'ca', 'gl',
  'nv', 'ase', 'bfi', 'sgn',
];

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', languageDisplay: 'standard', fallback: 'none' });
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

const SIGN_LANGUAGES: Record<string, string> = { ase: 'American Sign Language', bfi: 'British Sign Language', sgn: 'Sign language (other)' };

/** "es-MX" → "Spanish (Mexico)"; a code the browser cannot name is shown as it is. */
export function languageName(code: string): string {
  if (!code) return '';
  if (SIGN_LANGUAGES[code]) return SIGN_LANGUAGES[code];
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** "GB" → "United Kingdom". */
export function countryName(code: string): string {
  if (!code) return '';
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Not countries: groupings, private-use and test codes that Intl can still name. */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'ZZ', 'AA', 'QO', 'XA', 'XB', 'XK', 'UK', 'CP', 'DG', 'EA', 'IC', 'TA', 'AC']);
/** Every region with an ISO 3166 alpha-2 code that the browser can name, sorted by name. */
export const COUNTRY_CODES: string[] = (() => {
  const codes: string[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (NOT_COUNTRIES.has(code) || code.startsWith('Q') || code.startsWith('X')) continue;
      try {
        if (regionNames.of(code)) codes.push(code);
      } catch {
        /* not a region */
      }
    }
  }
  // Kosovo has no ISO code but a user-assigned one everyone uses.
  codes.push('XK');
  // One entry per name (an alias such as UK for GB would show the same name twice).
  const seen = new Set<string>();
  return codes
    .filter((code) => {
      const name = countryName(code);
      if (seen.has(name)) return false;
      seen.add(name);
      return true;
    })
    .sort((x, y) => countryName(x).localeCompare(countryName(y)));
})();

interface CodePickerProps {
  label: string;
  value: string;
  onChange: (code: string) => void;
  error?: boolean;
  helperText?: string;
  /** Allows no choice (an empty value). */
  optional?: boolean;
  autoFocus?: boolean;
}

function CodePicker({ codes, nameOf, label, value, onChange, error, helperText, optional, autoFocus }: CodePickerProps & { codes: string[]; nameOf: (code: string) => string }) {
  // A stored code that is not in the list (an older record) is still shown and kept.
  const options = value && !codes.includes(value) ? [value, ...codes] : codes;
  const filter = createFilterOptions<string>({ stringify: (code) => `${nameOf(code)} ${code}` });
  return (
    <Autocomplete
      options={options}
      value={value || null}
      onChange={(_e, v) => onChange(v ?? '')}
      getOptionLabel={nameOf}
      filterOptions={filter}
      autoHighlight
      disableClearable={!optional}
      renderOption={(props, code) => {
        const { key, ...rest } = props as typeof props & { key: string };
        return (
          <li key={key} {...rest}>
            {nameOf(code)}
          </li>
        );
      }}
      renderInput={(params) => <TextField {...params} label={label} error={error} helperText={helperText} autoFocus={autoFocus} />}
    />
  );
}

/** A language chosen by name, searchable ("span" or "es" finds Spanish); the value is its code. */
export function LanguagePicker(props: CodePickerProps) {
  return <CodePicker codes={LANGUAGE_CODES} nameOf={languageName} {...props} />;
}

/** A country chosen by name; the value is its two-letter code. */
export function CountryPicker(props: CodePickerProps) {
  return <CodePicker codes={COUNTRY_CODES} nameOf={countryName} {...props} />;
}
