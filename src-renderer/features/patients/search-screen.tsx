import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { PatientSummary } from '../../../src-main/contract/index.js';
import { formatPhone } from '../../../src-main/contract/phone.js';
import { useRead } from '../../api/queries.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { navigate } from '../../app/router.js';

/** One box over name, phone digits, date of birth, e-mail and patient number; ↑/↓ and Enter open. */
export function PatientSearchScreen() {
  const [query, setQuery] = useState('');
  // The query that is searched: the box's text after a short pause in typing.
  const [term, setTerm] = useState('');
  // The chosen row by patient id, so that results arriving after ↓ keep the choice (null: the first row).
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const search = useRead('patient/search', term.trim() === '' ? null : { query: term, limit: 50 });
  const results: PatientSummary[] | null = search.data?.results ?? null;
  const error = search.error;
  const selected = Math.max(0, results?.findIndex((p) => p.id === selectedId) ?? 0);

  useEffect(() => {
    const timer = window.setTimeout(() => {
      setTerm(query);
    }, 120);
    return () => window.clearTimeout(timer);
  }, [query]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (!results || results.length === 0) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setSelectedId(results[Math.min(selected + 1, results.length - 1)]!.id);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setSelectedId(results[Math.max(selected - 1, 0)]!.id);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const pick = results[selected];
      if (pick) navigate('patients', pick.id);
    }
  };

  return (
    <Box component="main">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 2 }}>
        <Typography variant="h5" component="h1" sx={{ flexGrow: 1 }}>
          Patients
        </Typography>
        <Button variant="contained" onClick={() => navigate('patients', 'new')} title="Alt+N">
          New patient
        </Button>
      </Stack>
      <TextField
        label="Search patients"
        placeholder="Name, phone digits, date of birth, e-mail or patient number"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setSelectedId(null);
        }}
        onKeyDown={onKeyDown}
        autoFocus
        slotProps={{ htmlInput: { 'aria-describedby': 'search-help', spellCheck: false } }}
      />
      <Typography id="search-help" variant="caption" color="text.secondary">
        Any order of names, accents ignored. ↑ ↓ to choose, Enter to open.
      </Typography>
      <ErrorBanner error={error} />
      {results && (
        <Paper sx={{ mt: 2 }}>
          <Table size="small" aria-label="Search results">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Number</TableCell>
                <TableCell>Date of birth</TableCell>
                <TableCell>Phone</TableCell>
                <TableCell>E-mail</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {results.map((p, i) => (
                <TableRow key={p.id} hover selected={i === selected} onClick={() => navigate('patients', p.id)} sx={{ cursor: 'pointer' }}>
                  <TableCell>
                    {p.familyName}, {p.givenName}
                  </TableCell>
                  <TableCell>{p.number}</TableCell>
                  <TableCell>{p.dateOfBirth}</TableCell>
                  <TableCell>{formatPhone(p.phone)}</TableCell>
                  <TableCell>{p.email}</TableCell>
                </TableRow>
              ))}
              {results.length === 0 && (
                <TableRow>
                  <TableCell colSpan={5}>No patient matches “{query}”.</TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </Paper>
      )}
    </Box>
  );
}
