import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import type { AppError } from '../../../src-main/contract/index.js';
import { call, fetchData } from '../../api/client.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useLoad } from '../../components/use-load.js';
import { useClinicZone } from '../../components/clinic-zone.js';
import { longDate, todayIn, whenIn } from '../../components/format.js';
import { useClinicLocale } from '../booking/price-breakdown.js';

const tokens = (n: number) => `${n} access token${n === 1 ? '' : 's'}`;

/**
 * The patient's online access on their record: how many access tokens work now (one per
 * phone, browser or link) and a button that revokes them all, after a confirmation.
 */
export function PatientAccess({ patientId, patientName }: { patientId: string; patientName: string }) {
  const summary = useLoad(() => fetchData('patient/access-summary', { patientId }), patientId);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [revoked, setRevoked] = useState<number | null>(null);
  const s = summary.data;
  // The record's one date format: the clinic's zone and locale.
  const zone = useClinicZone();
  const locale = useClinicLocale();

  const revoke = async () => {
    setBusy(true);
    const result = await call('patient/revoke-access', { patientId });
    setBusy(false);
    setConfirming(false);
    if (result.ok) {
      setRevoked(result.data.revoked);
      setError(null);
      summary.reload();
    } else setError(result.error);
  };

  return (
    <>
      <ErrorBanner error={summary.error ?? error} />
      {revoked !== null && (
        <Alert severity="success" onClose={() => setRevoked(null)} sx={{ mb: 1 }}>
          Revoked {tokens(revoked)}. The patient needs a new link to use the online pages.
        </Alert>
      )}
      {s && (
        <>
          <Typography variant="body2" data-testid="active-access-tokens">
            {s.activeTokens === 0
              ? 'No active access tokens: the patient cannot use the online pages until they get a new link.'
              : `${s.activeTokens} active ${tokens(s.activeTokens).replace(/^\d+ /, '')} — one per phone, browser or link.`}
          </Typography>
          {s.activeTokens > 0 && zone && (
            <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
              {s.lastUsedAt ? `Last used ${whenIn(s.lastUsedAt, zone, locale)}` : 'Not used yet'} · valid until{' '}
              {longDate(todayIn(zone, new Date(s.tokens.map((t) => t.expiresAt).sort().at(-1)!)), locale)}
            </Typography>
          )}
          <Button size="small" color="error" variant="outlined" sx={{ mt: 1 }} disabled={s.activeTokens === 0} onClick={() => setConfirming(true)}>
            Revoke all access
          </Button>
        </>
      )}
      <Dialog open={confirming} onClose={() => !busy && setConfirming(false)} aria-labelledby="revoke-access-title">
        <DialogTitle id="revoke-access-title">Revoke all online access?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            {(s?.activeTokens ?? 0) === 1 ? 'The access token' : `All ${tokens(s?.activeTokens ?? 0)}`} of {patientName}{' '}
            {(s?.activeTokens ?? 0) === 1 ? 'stops' : 'stop'} working at once, on every phone, browser or kiosk. To book online again, the patient
            needs a new link from the desk or their next confirmation e-mail. This is recorded in the audit log.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)} disabled={busy} autoFocus>
            Keep access
          </Button>
          <Button color="error" variant="contained" onClick={() => void revoke()} disabled={busy}>
            Revoke all
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
