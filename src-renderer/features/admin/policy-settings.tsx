import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { contract, type ClinicSettings, type FieldErrors } from '../../../src-main/contract/index.js';
import { formatPercent, parsePercent } from '../../../src-main/contract/money.js';
import { call } from '../../api/client.js';
import { useRead } from '../../api/queries.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { clinicMoney } from '../payments/clinic-money.js';

/** The settings this section edits (the general settings form leaves them alone). */
export const policyKeys = ['lateCancelKind', 'lateCancelFeeMinor', 'lateCancelRefundBp', 'noShowFeeMinor'] as const;

/** The cancellation policy: a fee kept or a percentage refunded inside the window, and the no-show fee. */
export function PolicySettings() {
  const settings = useRead('settings/get', {});
  if (!settings.data) return null;
  return <PolicyForm initial={settings.data} />;
}

function PolicyForm({ initial }: { initial: ClinicSettings }) {
  const money = clinicMoney(initial.currency, initial.defaultCountry);
  const [kind, setKind] = useState(initial.lateCancelKind);
  const [fee, setFee] = useState(() => money.amount(initial.lateCancelFeeMinor));
  const [percent, setPercent] = useState(() => formatPercent(initial.lateCancelRefundBp, money.locale).replace(/\s*%$/, ''));
  const [noShow, setNoShow] = useState(() => money.amount(initial.noShowFeeMinor));
  const [saved, setSaved] = useState(false);
  const form = useFieldErrors();

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const errors: FieldErrors = {};
    const f = money.parse(fee);
    const n = money.parse(noShow);
    const p = parsePercent(percent, money.locale);
    if (!f.ok) errors.lateCancelFeeMinor = [f.message];
    if (!n.ok) errors.noShowFeeMinor = [n.message];
    if (!p.ok) errors.lateCancelRefundBp = [p.message];
    if (Object.keys(errors).length > 0) return form.fromError({ code: 'validation/invalid-input', message: '', fieldErrors: errors });
    const input = form.check(contract['settings/update'].input, {
      lateCancelKind: kind,
      lateCancelFeeMinor: f.ok ? f.minor : 0,
      lateCancelRefundBp: p.ok ? p.minor : 0,
      noShowFeeMinor: n.ok ? n.minor : 0,
    });
    if (!input) return;
    const result = await call('settings/update', input);
    if (!result.ok) return form.fromError(result.error);
    setSaved(true);
  };

  return (
    <Paper sx={{ p: 2, maxWidth: 560, mt: 2 }}>
      <Typography variant="h6" component="h2" gutterBottom>
        Cancellation policy
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        A patient who cancels inside the window ({initial.cancellationWindowHours} hours, set above) or does not come pays this. Cancellations by the clinic or before
        the window are refunded in full.
      </Typography>
      <ErrorBanner error={form.banner} />
      {saved && <Alert severity="success" sx={{ mb: 2 }}>Cancellation policy saved.</Alert>}
      <form onSubmit={save} noValidate aria-label="Cancellation policy">
        <Stack spacing={2}>
          <TextField select label="Late cancellation" value={kind} onChange={(e) => setKind(e.target.value as ClinicSettings['lateCancelKind'])} {...form.field('lateCancelKind')}>
            <MenuItem value="fee">Keep a fixed fee</MenuItem>
            <MenuItem value="percent">Refund a percentage</MenuItem>
          </TextField>
          {kind === 'fee' ? (
            <TextField label={`Fee kept (${money.currency})`} value={fee} onChange={(e) => setFee(e.target.value)} slotProps={{ htmlInput: { inputMode: 'decimal' } }} {...form.field('lateCancelFeeMinor')} />
          ) : (
            <TextField label="Share of the price refunded (%)" value={percent} onChange={(e) => setPercent(e.target.value)} slotProps={{ htmlInput: { inputMode: 'decimal' } }} {...form.field('lateCancelRefundBp')} />
          )}
          <TextField label={`No-show fee (${money.currency})`} value={noShow} onChange={(e) => setNoShow(e.target.value)} slotProps={{ htmlInput: { inputMode: 'decimal' } }} {...form.field('noShowFeeMinor')} />
          <Button type="submit" variant="contained">
            Save cancellation policy
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
