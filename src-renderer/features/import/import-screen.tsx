import { useMemo, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { AppError } from '../../../src-main/contract/index.js';
import {
  importChunks,
  importFieldLabels,
  importFields,
  requiredImportFields,
  type ImportField,
  type ImportResult,
  type ImportRowResult,
} from '../../../src-main/contract/import.contract.js';
import { call } from '../../api/client.js';
import { navigate } from '../../app/router.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { cellsOf, columnNames, dataRows, delimiterName, guessMapping, readCsv, type Mapping, type ParsedFile } from './csv-file.js';
import { downloadCsv } from '../../components/download.js';


const n = (v: number) => v.toLocaleString('en-US');
const PREVIEW_ROWS = 5;
/** The screen lists this many failing or duplicate rows; the download has them all. */
const LISTED = 200;

type Step =
  | { kind: 'choose' }
  | { kind: 'map'; file: ParsedFile }
  | { kind: 'checking'; file: ParsedFile; done: number; total: number }
  | { kind: 'checked'; file: ParsedFile; batchId: string; results: ImportRowResult[] }
  | { kind: 'importing'; file: ParsedFile; batchId: string; results: ImportRowResult[]; count: number }
  | { kind: 'done'; result: ImportResult };

/** Import an existing patient list from CSV (admin; from the admin menu and the setup checklist). */
export function ImportScreen() {
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [error, setError] = useState<AppError | null>(null);
  const [fileProblem, setFileProblem] = useState<{ message: string; file?: File } | null>(null);
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [importDuplicates, setImportDuplicates] = useState<Set<number>>(new Set());
  const input = useRef<HTMLInputElement>(null);

  const open = async (file: File, encoding: ParsedFile['encoding'] = 'utf-8') => {
    setError(null);
    setFileProblem(null);
    const read = await readCsv(file, encoding);
    if (!read.ok) {
      setFileProblem({ message: read.message, file: read.wrongEncoding ? file : undefined });
      return;
    }
    setMapping(guessMapping(read.file));
    setStep({ kind: 'map', file: read.file });
  };

  const headerRow = (file: ParsedFile, hasHeader: boolean) => {
    const next = { ...file, hasHeader };
    setMapping(guessMapping(next));
    setStep({ kind: 'map', file: next });
  };

  const restart = () => {
    setStep({ kind: 'choose' });
    setError(null);
    setFileProblem(null);
    setImportDuplicates(new Set());
    if (input.current) input.current.value = '';
  };

  const check = async (file: ParsedFile, map: Mapping) => {
    setError(null);
    const rows = dataRows(file).map(({ rowNumber, record }) => ({ rowNumber, cells: cellsOf(record, map) }));
    const started = await call('import/start', { fileName: file.fileName.slice(0, 255), totalRows: rows.length });
    if (!started.ok) return setError(started.error);
    const { batchId } = started.data;
    const results: ImportRowResult[] = [];
    setStep({ kind: 'checking', file, done: 0, total: rows.length });
    for (const chunk of importChunks(rows)) {
      const out = await call('import/stage', { batchId, rows: chunk });
      if (!out.ok) {
        setStep({ kind: 'map', file });
        return setError(out.error);
      }
      results.push(...out.data.results);
      setStep({ kind: 'checking', file, done: results.length, total: rows.length });
    }
    setImportDuplicates(new Set());
    setStep({ kind: 'checked', file, batchId, results });
  };

  const failuresFile = async (batchId: string) => {
    const out = await call('import/failures-csv', { batchId });
    if (!out.ok) return setError(out.error);
    downloadCsv(out.data.filename, out.data.csv);
  };

  const commit = async (s: Extract<Step, { kind: 'checked' }>, count: number) => {
    setError(null);
    setStep({ kind: 'importing', file: s.file, batchId: s.batchId, results: s.results, count });
    const out = await call('import/commit', { batchId: s.batchId, importDuplicateRows: [...importDuplicates] });
    if (!out.ok) {
      setStep(s);
      return setError(out.error);
    }
    setStep({ kind: 'done', result: out.data });
  };

  return (
    <Box component="main">
      <Typography variant="h5" component="h1" gutterBottom>
        Import patients
      </Typography>
      <ErrorBanner error={error} />
      {step.kind === 'choose' && (
        <Paper sx={{ p: 2 }}>
          <Typography gutterBottom>
            Bring in the patient list you already have: save it from your spreadsheet or old system as a CSV file (UTF-8, up to 10 MB and{' '}
            {n(100_000)} rows). Every row is checked with the same rules as a registration at the desk, and likely duplicates are shown before
            anything is saved. Either all the rows you accept are imported, or none.
          </Typography>
          <Button variant="contained" component="label">
            Choose CSV file
            <input
              ref={input}
              hidden
              type="file"
              accept=".csv,.txt,.tsv,text/csv,text/plain"
              aria-label="CSV file with patients"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void open(file);
              }}
            />
          </Button>
          {fileProblem && (
            <Alert severity="error" role="alert" sx={{ mt: 2 }}>
              {fileProblem.message}
              {fileProblem.file && (
                <Box sx={{ mt: 1 }}>
                  <Button size="small" variant="outlined" color="inherit" onClick={() => void open(fileProblem.file!, 'windows-1252')}>
                    Read it as Western European (Windows-1252)
                  </Button>
                </Box>
              )}
            </Alert>
          )}
        </Paper>
      )}
      {step.kind === 'map' && mapping && <MapColumns file={step.file} mapping={mapping} onChange={setMapping} onHeader={(hasHeader) => headerRow(step.file, hasHeader)} onCheck={() => void check(step.file, mapping)} onCancel={restart} />}
      {step.kind === 'checking' && (
        <Paper sx={{ p: 2 }}>
          <Typography id="import-progress-label" gutterBottom>
            Checking rows: {n(step.done)} of {n(step.total)}
          </Typography>
          <LinearProgress variant="determinate" value={(step.done / Math.max(1, step.total)) * 100} aria-labelledby="import-progress-label" />
        </Paper>
      )}
      {(step.kind === 'checked' || step.kind === 'importing') && (
        <Checked
          step={step}
          importDuplicates={importDuplicates}
          setImportDuplicates={setImportDuplicates}
          onFailures={() => void failuresFile(step.batchId)}
          onImport={(count) => step.kind === 'checked' && void commit(step, count)}
          onCancel={restart}
        />
      )}
      {step.kind === 'done' && (
        <Paper sx={{ p: 2 }}>
          <Alert severity="success" role="status" sx={{ mb: 2 }}>
            {step.result.replayed ? 'This list was already imported; nothing was imported twice. ' : ''}
            Imported {n(step.result.imported)} patient{step.result.imported === 1 ? '' : 's'}.
            {step.result.skippedDuplicates > 0 && ` Skipped ${n(step.result.skippedDuplicates)} likely duplicate${step.result.skippedDuplicates === 1 ? '' : 's'}.`}
            {step.result.failed > 0 && ` ${n(step.result.failed)} row${step.result.failed === 1 ? '' : 's'} could not be imported.`}
          </Alert>
          <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
            <Button variant="contained" onClick={() => navigate('patients')}>
              Find a patient
            </Button>
            {step.result.failed > 0 && <Button onClick={() => void failuresFile(step.result.batchId)}>Download the rows not imported</Button>}
            <Button onClick={restart}>Import another file</Button>
          </Stack>
        </Paper>
      )}
    </Box>
  );
}

function MapColumns({ file, mapping, onChange, onHeader, onCheck, onCancel }: { file: ParsedFile; mapping: Mapping; onChange(m: Mapping): void; onHeader(hasHeader: boolean): void; onCheck(): void; onCancel(): void }) {
  const columns = useMemo(() => columnNames(file), [file]);
  const rows = useMemo(() => dataRows(file), [file]);
  const missing = requiredImportFields.filter((f) => mapping[f] === null);
  const used = importFields.filter((f) => mapping[f] !== null);
  const setField = (field: ImportField, value: string) => onChange({ ...mapping, [field]: value === '' ? null : Number(value) });
  return (
    <Stack spacing={2}>
      <Paper sx={{ p: 2 }}>
        <Typography variant="h6" component="h2" gutterBottom>
          {file.fileName}
        </Typography>
        <Typography gutterBottom>
          {n(rows.length)} patient row{rows.length === 1 ? '' : 's'}, columns separated by {delimiterName(file.delimiter)}
          {file.encoding === 'windows-1252' ? ', read as Western European (Windows-1252)' : ''}.
        </Typography>
        <FormControlLabel
          control={
  <Checkbox checked={file.hasHeader} onChange={(e) => onHeader(e.target.checked)} />
          }
          label="The first row names the columns"
        />
      </Paper>
      <Paper sx={{ p: 2 }}>
        <Typography variant="h6" component="h2" gutterBottom>
          Which column holds what
        </Typography>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          Guessed from the column names; change any that are wrong. Fields marked * are required for every patient. Dates as YYYY-MM-DD; sex as
          female, male, intersex or unknown (F, M or X also work).
        </Typography>
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', md: '1fr 1fr 1fr' }, gap: 1.5, mt: 1 }}>
          {importFields.map((field) => (
            <TextField
              key={field}
              select
              size="small"
              label={`${importFieldLabels[field]}${requiredImportFields.includes(field) ? ' *' : ''}`}
              value={mapping[field] === null ? '' : String(mapping[field])}
              onChange={(e) => setField(field, e.target.value)}
              slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
            >
              <MenuItem value="">
                <em>Not in the file</em>
              </MenuItem>
              {columns.map((c, i) => (
                <MenuItem key={i} value={String(i)}>
                  {c}
                </MenuItem>
              ))}
            </TextField>
          ))}
        </Box>
      </Paper>
      <Paper sx={{ p: 2, overflowX: 'auto' }}>
        <Typography variant="h6" component="h2" gutterBottom>
          Preview of the first rows
        </Typography>
        <Table size="small" aria-label="Preview of the first rows as patients">
          <TableHead>
            <TableRow>
              <TableCell>Row</TableCell>
              {used.map((f) => (
                <TableCell key={f}>{importFieldLabels[f]}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.slice(0, PREVIEW_ROWS).map(({ rowNumber, record }) => {
              const cells = cellsOf(record, mapping);
              return (
                <TableRow key={rowNumber}>
                  <TableCell>{rowNumber}</TableCell>
                  {used.map((f) => (
                    <TableCell key={f} sx={{ maxWidth: 200, overflowWrap: 'anywhere' }}>
                      {cells[f].slice(0, 120)}
                    </TableCell>
                  ))}
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </Paper>
      {missing.length > 0 && (
        <Alert severity="warning">Choose the column for: {missing.map((f) => importFieldLabels[f]).join(', ')}. Every row needs it.</Alert>
      )}
      <Stack direction="row" spacing={1}>
        <Button variant="contained" disabled={missing.length > 0 || rows.length === 0} onClick={onCheck}>
          Check all {n(rows.length)} rows
        </Button>
        <Button onClick={onCancel}>Choose another file</Button>
      </Stack>
    </Stack>
  );
}

function Checked({
  step,
  importDuplicates,
  setImportDuplicates,
  onFailures,
  onImport,
  onCancel,
}: {
  step: Extract<Step, { kind: 'checked' | 'importing' }>;
  importDuplicates: Set<number>;
  setImportDuplicates(s: Set<number>): void;
  onFailures(): void;
  onImport(count: number): void;
  onCancel(): void;
}) {
  const { results } = step;
  const ok = results.filter((r) => r.status === 'ok');
  const invalid = results.filter((r) => r.status === 'invalid');
  const duplicates = results.filter((r) => r.status === 'duplicate');
  const count = ok.length + duplicates.filter((d) => importDuplicates.has(d.rowNumber)).length;
  const busy = step.kind === 'importing';
  const toggle = (row: number) => {
    const next = new Set(importDuplicates);
    if (next.has(row)) next.delete(row);
    else next.add(row);
    setImportDuplicates(next);
  };
  return (
    <Stack spacing={2}>
      <Paper sx={{ p: 2 }}>
        <Typography variant="h6" component="h2" gutterBottom>
          {step.file.fileName}: every row checked
        </Typography>
        <Typography component="ul" sx={{ m: 0, pl: 3 }}>
          <li>{n(ok.length)} ready to import</li>
          <li>{n(duplicates.length)} look like patients you already have (or an earlier row of this file)</li>
          <li>{n(invalid.length)} cannot be imported as they are</li>
        </Typography>
      </Paper>
      {invalid.length > 0 && (
        <Paper sx={{ p: 2, overflowX: 'auto' }}>
          <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center', mb: 1 }}>
            <Typography variant="h6" component="h2" sx={{ flexGrow: 1 }}>
              Rows that cannot be imported
            </Typography>
            <Button variant="outlined" onClick={onFailures}>
              Download these rows (CSV)
            </Button>
          </Stack>
          <Typography variant="body2" color="text.secondary" gutterBottom>
            Fix them in the downloaded file (it has the reasons and the original cells) and import it afterwards.
            {invalid.length > LISTED && ` The first ${LISTED} are listed here.`}
          </Typography>
          <Table size="small" aria-label="Rows that cannot be imported">
            <TableHead>
              <TableRow>
                <TableCell>Row</TableCell>
                <TableCell>What is wrong</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {invalid.slice(0, LISTED).map((r) => (
                <TableRow key={r.rowNumber}>
                  <TableCell>{r.rowNumber}</TableCell>
                  <TableCell sx={{ overflowWrap: 'anywhere' }}>
                    {r.errors.map((e, i) => (
                      <div key={i}>
                        {e.field}: {e.message}
                      </div>
                    ))}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Paper>
      )}
      {duplicates.length > 0 && (
        <Paper sx={{ p: 2, overflowX: 'auto' }}>
          <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center', mb: 1 }}>
            <Typography variant="h6" component="h2" sx={{ flexGrow: 1 }}>
              Likely duplicates
            </Typography>
            <Button disabled={busy} onClick={() => setImportDuplicates(new Set(duplicates.map((d) => d.rowNumber)))}>
              Import all of them
            </Button>
            <Button disabled={busy} onClick={() => setImportDuplicates(new Set())}>
              Skip all of them
            </Button>
          </Stack>
          <Typography variant="body2" color="text.secondary" gutterBottom>
            These are skipped unless you tick “Import anyway”.{duplicates.length > LISTED && ` The first ${LISTED} are listed here.`}
          </Typography>
          <Table size="small" aria-label="Likely duplicates">
            <TableHead>
              <TableRow>
                <TableCell>Row</TableCell>
                <TableCell>Looks like</TableCell>
                <TableCell>Import anyway</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {duplicates.slice(0, LISTED).map((r) => (
                <TableRow key={r.rowNumber}>
                  <TableCell>{r.rowNumber}</TableCell>
                  <TableCell sx={{ overflowWrap: 'anywhere' }}>
                    {r.matches.map((m, i) => (
                      <div key={i}>
                        {m.kind === 'patient' ? `${m.name} (${m.number})` : `${m.name}, row ${m.rowNumber} of this file`} — {m.reasons.join('; ').toLowerCase()}
                      </div>
                    ))}
                  </TableCell>
                  <TableCell padding="checkbox">
                    <Checkbox
                      disabled={busy}
                      checked={importDuplicates.has(r.rowNumber)}
                      onChange={() => toggle(r.rowNumber)}
                      slotProps={{ input: { 'aria-label': `Import row ${r.rowNumber} anyway` } }}
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Paper>
      )}
      {busy ? (
        <Paper sx={{ p: 2 }}>
          <Typography id="import-commit-label" gutterBottom>
            Importing {n(step.count)} patients in one step — all of them or none…
          </Typography>
          <LinearProgress aria-labelledby="import-commit-label" />
        </Paper>
      ) : (
        <Stack direction="row" spacing={1}>
          <Button variant="contained" disabled={count === 0} onClick={() => onImport(count)}>
            Import {n(count)} patient{count === 1 ? '' : 's'}
          </Button>
          <Button onClick={onCancel}>Start again</Button>
        </Stack>
      )}
    </Stack>
  );
}
