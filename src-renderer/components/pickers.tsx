import Autocomplete, { createFilterOptions } from '@mui/material/Autocomplete';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { countryName, phoneCountries } from './countries.js';

export { countryName };

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

/** Countries by name: the maintained list of countries phone numbers can belong to (libphonenumber). */
export const COUNTRY_CODES: string[] = phoneCountries.map((c) => c.code);

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

/**
 * A list filter: "All …" or one of the options (doctor, location, specialization). A value no
 * longer among the options (a doctor who left, a location closed) reads as "All".
 */
export function FilterSelect(props: { label: string; allLabel: string; value: string; options: readonly { id: string; name: string }[] | undefined; onChange: (id: string) => void; width: number }) {
  const { options } = props;
  const value = !options || options.some((o) => o.id === props.value) ? props.value : '';
  return (
    <TextField
      select
      size="small"
      label={props.label}
      value={value}
      onChange={(e) => props.onChange(e.target.value)}
      sx={{ width: props.width }}
      slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
    >
      <MenuItem value="">{props.allLabel}</MenuItem>
      {(options ?? []).map((o) => (
        <MenuItem key={o.id} value={o.id}>
          {o.name}
        </MenuItem>
      ))}
    </TextField>
  );
}
