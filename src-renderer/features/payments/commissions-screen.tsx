import { useState } from 'react';
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
import { contract, type CommissionRow } from '../../../src-main/contract/index.js';
import { formatMoney } from '../../../src-main/contract/money.js';
import { call } from '../../api/client.js';
import { useRead } from '../../api/queries.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { useClinicZone } from '../../components/clinic-zone.js';
import { todayIn } from '../../components/format.js';
import { printStyles } from './cash-up-screen.js';
import { downloadCsv } from '../../components/download.js';

interface Filter {
  from: string;
  to: string;
  code?: string;
  agent?: string;
}


/** Agents' commissions for a period (admin, Alt+O), with a CSV download. */
export function CommissionsScreen() {
  const zone = useClinicZone();
  const today = zone ? todayIn(zone) : null;
  return today ? <Report today={today} /> : null;
}

function Report({ today }: { today: string }) {
  const [draft, setDraft] = useState<Filter>({ from: `${today.slice(0, 8)}01`, to: today, code: '', agent: '' });
  const [filter, setFilter] = useState<Filter | null>(null);
  const form = useFieldErrors();
  const clean = (f: Filter): Filter => ({ from: f.from, to: f.to, ...(f.code?.trim() ? { code: f.code.trim() } : {}), ...(f.agent?.trim() ? { agent: f.agent.trim() } : {}) });
  const report = useRead('commission/report', filter ?? clean(draft));
  const r = report.data;
  const m = (minor: number) => (r ? formatMoney(minor, r.currency, r.locale) : '');
  const set = (k: keyof Filter) => (e: React.ChangeEvent<HTMLInputElement>) => setDraft((d) => ({ ...d, [k]: e.target.value }));

  const show = () => {
    const parsed = form.check(contract['commission/report'].input, clean(draft));
    if (parsed) setFilter(clean(draft));
  };
  const csv = async () => {
    const result = await call('commission/report-csv', filter ?? clean(draft));
    if (!result.ok) return form.fromError(result.error);
    downloadCsv(result.data.filename, result.data.csv);
  };
  const line = (agent: string, c: Pick<CommissionRow, 'uses' | 'netPaidMinor' | 'accruedMinor' | 'reversedMinor' | 'netCommissionMinor'>, code: string, bold = false) => (
    <TableRow key={`${agent}-${code}-${bold}`} sx={bold ? { '& td': { fontWeight: 700 } } : undefined}>
      <TableCell sx={{ overflowWrap: 'anywhere', maxWidth: 240 }}>{agent}</TableCell>
      <TableCell>{code}</TableCell>
      <TableCell align="right">{c.uses}</TableCell>
      <TableCell align="right">{m(c.netPaidMinor)}</TableCell>
      <TableCell align="right">{m(c.accruedMinor)}</TableCell>
      <TableCell align="right">{m(c.reversedMinor)}</TableCell>
      <TableCell align="right">{m(c.netCommissionMinor)}</TableCell>
    </TableRow>
  );

  return (
    <Box component="main">
      {printStyles}
      <Typography variant="h5" component="h1" gutterBottom>
        Agents’ commissions
      </Typography>
      <Stack component="form" className="no-print" direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'flex-start', mb: 1 }} onSubmit={(e) => (e.preventDefault(), show())}>
        <TextField size="small" type="date" label="From" sx={{ width: 170 }} value={draft.from} onChange={set('from')} slotProps={{ inputLabel: { shrink: true } }} {...form.field('from')} />
        <TextField size="small" type="date" label="To" sx={{ width: 170 }} value={draft.to} onChange={set('to')} slotProps={{ inputLabel: { shrink: true } }} {...form.field('to')} />
        <TextField size="small" label="Code" sx={{ width: 160 }} value={draft.code} onChange={set('code')} {...form.field('code')} />
        <TextField size="small" label="Agent" sx={{ width: 220 }} value={draft.agent} onChange={set('agent')} {...form.field('agent')} />
        <Button type="submit" variant="contained">
          Show
        </Button>
        <Button variant="outlined" onClick={() => void csv()}>
          Download CSV
        </Button>
        <Button onClick={() => window.print()}>Print</Button>
      </Stack>
      <ErrorBanner error={form.banner ?? report.error} />
      {r && (
        <Paper sx={{ p: 2, overflowX: 'auto' }}>
          <Typography variant="subtitle1" component="p" gutterBottom>
            {r.from} to {r.to} (clinic dates), amounts in {r.currency}
          </Typography>
          <Table size="small" aria-label="Commissions per agent and code">
            <TableHead>
              <TableRow>
                <TableCell>Agent</TableCell>
                <TableCell>Code</TableCell>
                <TableCell align="right">Uses</TableCell>
                <TableCell align="right">Net paid</TableCell>
                <TableCell align="right">Accrued</TableCell>
                <TableCell align="right">Reversed</TableCell>
                <TableCell align="right">Net commission</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {r.agents.length === 0 && (
                <TableRow>
                  <TableCell colSpan={7}>No commissions in this period.</TableCell>
                </TableRow>
              )}
              {r.agents.flatMap((a) => [...a.codes.map((c) => line(a.agentName, c, c.code)), ...(a.codes.length > 1 ? [line(`${a.agentName} — total`, a.totals, '', true)] : [])])}
              {r.agents.length > 0 && line('Total', r.totals, '', true)}
            </TableBody>
          </Table>
        </Paper>
      )}
    </Box>
  );
}
