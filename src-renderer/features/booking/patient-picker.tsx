import { useEffect, useState } from 'react';
import Autocomplete from '@mui/material/Autocomplete';
import TextField from '@mui/material/TextField';
import type { PatientSummary } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';

/** A patient chosen by typing any part of the name, phone, date of birth or number. */
export function PatientPicker({
  value,
  onChange,
  error,
  autoFocus,
}: {
  value: PatientSummary | null;
  onChange: (p: PatientSummary | null) => void;
  error?: { error: boolean; helperText?: string };
  autoFocus?: boolean;
}) {
  const [input, setInput] = useState('');
  const [options, setOptions] = useState<PatientSummary[]>([]);
  useEffect(() => {
    let live = true;
    const timer = window.setTimeout(async () => {
      if (input.trim().length === 0) return;
      const result = await call('patient/search', { query: input, limit: 20 });
      if (live && result.ok) setOptions(result.data.results);
    }, 120);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [input]);
  const label = (p: PatientSummary) => `${p.givenName} ${p.familyName} · ${p.number} · ${p.dateOfBirth}`;
  return (
    <Autocomplete
      options={value && !options.some((o) => o.id === value.id) ? [value, ...options] : options}
      value={value}
      onChange={(_e, v) => onChange(v)}
      onInputChange={(_e, v, reason) => {
        if (reason === 'input') setInput(v);
      }}
      getOptionLabel={label}
      isOptionEqualToValue={(a, b) => a.id === b.id}
      filterOptions={(x) => x}
      autoHighlight
      renderInput={(params) => <TextField {...params} label="Patient" autoFocus={autoFocus} {...error} />}
    />
  );
}
