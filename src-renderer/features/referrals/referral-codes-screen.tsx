import { useEffect, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
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
import { contract, type ReferralCheck, type ReferralCodeView, type RosterConsultationType } from '../../../src-main/contract/index.js';
import { fieldErrorsFrom } from '../../../src-main/contract/errors.js';
import { formatAmount, formatMoney, formatPercent, parseMoney, parsePercent } from '../../../src-main/contract/money.js';
import { call, fetchData } from '../../api/client.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { useLoad } from '../../components/use-load.js';

interface Money {
  currency: string;
  locale: string;
}

/** Referral codes (admin): the list, a form to create or edit one, and a box to try a code. */
export function ReferralCodesScreen() {
  const list = useLoad(() => fetchData('referral/list', {}), 'referral-list');
  const roster = useLoad(() => fetchData('roster/list', {}), 'roster');
  const [editing, setEditing] = useState<ReferralCodeView | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [banner, setBanner] = useState<{ code: string; message: string } | null>(null);
  const edit = (c: ReferralCodeView | null) => {
    setEditing(c);
    setFormKey((k) => k + 1);
  };
  const money: Money | null = list.data ? { currency: list.data.currency, locale: list.data.locale } : null;
  const types = roster.data?.consultationTypes ?? [];
  const typeName = new Map(types.map((t) => [t.id, t.name]));

  const setActive = async (c: ReferralCodeView, active: boolean) => {
    const result = await call('referral/set-active', { id: c.id, version: c.version, active });
    setBanner(result.ok ? null : result.error);
    if (editing?.id === c.id) edit(null);
    list.reload();
  };

  return (
    <Box component="main">
      <Typography variant="h5" component="h1" gutterBottom>
        Referral codes
      </Typography>
      <ErrorBanner error={list.error ?? roster.error ?? banner} />
      <Paper sx={{ mb: 2, overflowX: 'auto' }}>
        <Table size="small" aria-label="Referral codes">
          <TableHead>
            <TableRow>
              <TableCell>Code</TableCell>
              <TableCell>Agent</TableCell>
              <TableCell>Discount</TableCell>
              <TableCell>Agent’s commission</TableCell>
              <TableCell>Valid</TableCell>
              <TableCell>Uses</TableCell>
              <TableCell>For</TableCell>
              <TableCell>Status</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {money && list.data?.codes.length === 0 && (
              <TableRow>
                <TableCell colSpan={9}>No referral codes yet. Create the first one below.</TableCell>
              </TableRow>
            )}
            {money &&
              list.data?.codes.map((c) => (
                <TableRow key={c.id} selected={editing?.id === c.id}>
                  <TableCell sx={{ fontFamily: 'monospace', fontWeight: 600, whiteSpace: 'nowrap' }}>{c.code}</TableCell>
                  <TableCell>{c.agentName}</TableCell>
                  <TableCell>{describeDiscount(c, money)}</TableCell>
                  <TableCell>{describeCommission(c, money)}</TableCell>
                  <TableCell>{describeWindow(c)}</TableCell>
                  <TableCell>
                    {c.used}
                    {c.reserved > 0 ? ` (+${c.reserved} waiting)` : ''} of {c.usageLimit ?? 'no limit'}
                    {c.perPatientLimit ? `; ${c.perPatientLimit} per patient` : ''}
                  </TableCell>
                  <TableCell>{c.consultationTypeIds.length === 0 ? 'All consultations' : c.consultationTypeIds.map((id) => typeName.get(id) ?? '?').join(', ')}</TableCell>
                  <TableCell>{c.active ? 'Active' : 'Deactivated'}</TableCell>
                  <TableCell padding="none" sx={{ whiteSpace: 'nowrap' }}>
                    <Button size="small" onClick={() => edit(c)} aria-label={`Edit ${c.code}`}>
                      Edit
                    </Button>
                    <Button size="small" onClick={() => void setActive(c, !c.active)} aria-label={`${c.active ? 'Deactivate' : 'Reactivate'} ${c.code}`}>
                      {c.active ? 'Deactivate' : 'Reactivate'}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
          </TableBody>
        </Table>
      </Paper>
      {money && roster.data && (
        <Stack direction={{ xs: 'column', lg: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
          <CodeForm
            key={formKey}
            code={editing}
            money={money}
            types={types}
            onSaved={() => {
              edit(null);
              list.reload();
            }}
            onCancel={() => edit(null)}
          />
          <TryCode money={money} types={types.filter((t) => t.active)} />
        </Stack>
      )}
    </Box>
  );
}

function describeDiscount(c: ReferralCodeView, m: Money): string {
  if (c.discount.kind === 'fixed') return `${formatMoney(c.discount.amountMinor, c.currency, m.locale)} off`;
  const cap = c.discount.capMinor !== null ? `, at most ${formatMoney(c.discount.capMinor, c.currency, m.locale)}` : '';
  return `${formatPercent(c.discount.bp, m.locale)} % off${cap}`;
}

function describeCommission(c: ReferralCodeView, m: Money): string {
  if (c.commission.kind === 'none') return 'None';
  if (c.commission.kind === 'fixed') return `${formatMoney(c.commission.amountMinor, c.currency, m.locale)} per use`;
  return `${formatPercent(c.commission.bp, m.locale)} % of the amount paid`;
}

function describeWindow(c: ReferralCodeView): string {
  if (!c.validFrom && !c.validUntil) return 'Always';
  if (c.validFrom && c.validUntil) return `${c.validFrom} to ${c.validUntil}`;
  return c.validFrom ? `From ${c.validFrom}` : `Until ${c.validUntil}`;
}

type DiscountKind = 'percent' | 'fixed';
type CommissionKind = 'none' | 'percent' | 'fixed';

function CodeForm({
  code,
  money,
  types,
  onSaved,
  onCancel,
}: {
  code: ReferralCodeView | null;
  money: Money;
  types: RosterConsultationType[];
  onSaved: () => void;
  onCancel: () => void;
}) {
  const amount = (minor: number | null | undefined) => (minor === null || minor === undefined ? '' : formatAmount(minor, money.currency, money.locale));
  const [draft, setDraft] = useState({
    code: code?.code ?? '',
    agentName: code?.agentName ?? '',
    agentContact: code?.agentContact ?? '',
    agentPayout: code?.agentPayout ?? '',
    discountKind: (code?.discount.kind ?? 'percent') as DiscountKind,
    discountPercent: code?.discount.kind === 'percent' ? formatPercent(code.discount.bp, money.locale) : '',
    discountCap: code?.discount.kind === 'percent' ? amount(code.discount.capMinor) : '',
    discountAmount: code?.discount.kind === 'fixed' ? amount(code.discount.amountMinor) : '',
    commissionKind: (code?.commission.kind ?? 'none') as CommissionKind,
    commissionPercent: code?.commission.kind === 'percent' ? formatPercent(code.commission.bp, money.locale) : '',
    commissionAmount: code?.commission.kind === 'fixed' ? amount(code.commission.amountMinor) : '',
    validFrom: code?.validFrom ?? '',
    validUntil: code?.validUntil ?? '',
    usageLimit: code?.usageLimit ? String(code.usageLimit) : '',
    perPatientLimit: code?.perPatientLimit ? String(code.perPatientLimit) : '',
    minAmount: code && code.minAmountMinor > 0 ? amount(code.minAmountMinor) : '',
  });
  const [typeIds, setTypeIds] = useState<string[]>(code?.consultationTypeIds ?? []);
  const [active, setActive] = useState(code?.active ?? true);
  const form = useFieldErrors();
  const set = (key: keyof typeof draft) => (e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [key]: e.target.value });
  const cur = money.currency;

  const save = async (event?: React.FormEvent) => {
    event?.preventDefault();
    // Amounts and percentages as typed in the clinic's locale → minor units and basis points.
    const errors: Record<string, string[]> = {};
    const read = (text: string, field: string, parse: (t: string) => { ok: true; minor: number } | { ok: false; message: string }, optional = false): number | null | undefined => {
      if (optional && text.trim() === '') return null;
      const r = parse(text);
      if (r.ok) return r.minor;
      errors[field] = [r.message];
      return undefined;
    };
    const money_ = (t: string) => parseMoney(t, cur, money.locale);
    const percent = (t: string) => parsePercent(t, money.locale);
    const whole = (text: string, field: string): number | null | undefined => {
      if (text.trim() === '') return null;
      if (!/^\d+$/.test(text.trim())) {
        errors[field] = ['Enter a whole number, or leave it empty for no limit.'];
        return undefined;
      }
      return Number(text.trim());
    };
    const discount =
      draft.discountKind === 'percent'
        ? { kind: 'percent', bp: read(draft.discountPercent, 'discount.bp', percent), capMinor: read(draft.discountCap, 'discount.capMinor', money_, true) }
        : { kind: 'fixed', amountMinor: read(draft.discountAmount, 'discount.amountMinor', money_), currency: cur };
    const commission =
      draft.commissionKind === 'none'
        ? { kind: 'none' }
        : draft.commissionKind === 'percent'
          ? { kind: 'percent', bp: read(draft.commissionPercent, 'commission.bp', percent) }
          : { kind: 'fixed', amountMinor: read(draft.commissionAmount, 'commission.amountMinor', money_), currency: cur };
    const candidate = {
      ...(code ? { id: code.id, version: code.version } : {}),
      code: draft.code,
      agentName: draft.agentName,
      agentContact: draft.agentContact,
      agentPayout: draft.agentPayout,
      commission,
      discount,
      validFrom: draft.validFrom || null,
      validUntil: draft.validUntil || null,
      usageLimit: whole(draft.usageLimit, 'usageLimit'),
      perPatientLimit: whole(draft.perPatientLimit, 'perPatientLimit'),
      minAmountMinor: read(draft.minAmount, 'minAmountMinor', money_, true) ?? 0,
      consultationTypeIds: typeIds,
      active,
    };
    // The contract's own schema, then the typing problems found above (they say more).
    const parsed = contract['referral/save'].input.safeParse(candidate, { reportInput: true });
    const all = { ...(parsed.success ? {} : fieldErrorsFrom(parsed.error)), ...errors };
    if (!parsed.success || Object.keys(all).length > 0) return form.fromError({ code: 'validation/invalid-input', message: '', fieldErrors: all });
    form.clear();
    const result = await call('referral/save', parsed.data);
    if (!result.ok) return form.fromError(result.error);
    onSaved();
  };

  const names = new Map(types.map((t) => [t.id, t.name]));
  return (
    <Paper sx={{ p: 2, flex: 2, minWidth: 0, width: '100%' }}>
      <Typography variant="h6" component="h2">
        {code ? `Edit ${code.code}` : 'New referral code'}
      </Typography>
      <ErrorBanner error={form.banner} />
      <form
        onSubmit={(e) => void save(e)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void save(e);
          if (e.key === 'Escape' && code) onCancel();
        }}
        noValidate
        aria-label={code ? `Edit ${code.code}` : 'New referral code'}
      >
        <Stack spacing={1.5} sx={{ mt: 1 }}>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
            <TextField label="Code" value={draft.code} onChange={set('code')} autoFocus={!code} slotProps={{ htmlInput: { style: { textTransform: 'uppercase' } } }} {...withHelp(form.field('code'), 'Letters, digits and dashes; upper or lower case is the same code.')} sx={{ flex: 1, minWidth: 0 }} />
            <TextField label="Agent’s name" value={draft.agentName} onChange={set('agentName')} {...form.field('agentName')} sx={{ flex: 1, minWidth: 0 }} />
            <TextField label="Agent’s contact" value={draft.agentContact} onChange={set('agentContact')} {...form.field('agentContact')} sx={{ flex: 1, minWidth: 0 }} />
          </Stack>
          <TextField label="Payout details (bank account, how to pay the agent)" value={draft.agentPayout} onChange={set('agentPayout')} multiline minRows={1} maxRows={3} {...form.field('agentPayout')} />
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
            <TextField select label="Discount" value={draft.discountKind} onChange={(e) => setDraft({ ...draft, discountKind: e.target.value as DiscountKind })} sx={{ width: { xs: '100%', sm: 260 }, flexShrink: 0 }}>
              <MenuItem value="percent">A percentage</MenuItem>
              <MenuItem value="fixed">A fixed amount</MenuItem>
            </TextField>
            {draft.discountKind === 'percent' ? (
              <>
                <TextField label="Discount (%)" value={draft.discountPercent} onChange={set('discountPercent')} {...form.field('discount.bp')} sx={{ flex: 1, minWidth: 0 }} />
                <TextField label={`At most (${cur})`} value={draft.discountCap} onChange={set('discountCap')} {...withHelp(form.field('discount.capMinor'), 'Empty: no cap.')} sx={{ flex: 1, minWidth: 0 }} />
              </>
            ) : (
              <TextField label={`Discount (${cur})`} value={draft.discountAmount} onChange={set('discountAmount')} {...mergeFields(form.field('discount.amountMinor'), form.field('discount.currency'))} sx={{ flex: 1, minWidth: 0 }} />
            )}
          </Stack>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
            <TextField select label="Agent’s commission" value={draft.commissionKind} onChange={(e) => setDraft({ ...draft, commissionKind: e.target.value as CommissionKind })} sx={{ width: { xs: '100%', sm: 260 }, flexShrink: 0 }}>
              <MenuItem value="none">None</MenuItem>
              <MenuItem value="percent">A percentage of the amount paid</MenuItem>
              <MenuItem value="fixed">A fixed amount per use</MenuItem>
            </TextField>
            {draft.commissionKind === 'percent' && <TextField label="Commission (%)" value={draft.commissionPercent} onChange={set('commissionPercent')} {...form.field('commission.bp')} sx={{ flex: 1, minWidth: 0 }} />}
            {draft.commissionKind === 'fixed' && (
              <TextField label={`Commission per use (${cur})`} value={draft.commissionAmount} onChange={set('commissionAmount')} {...mergeFields(form.field('commission.amountMinor'), form.field('commission.currency'))} sx={{ flex: 1, minWidth: 0 }} />
            )}
          </Stack>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
            <TextField label="First day" type="date" value={draft.validFrom} onChange={set('validFrom')} slotProps={{ inputLabel: { shrink: true } }} {...withHelp(form.field('validFrom'), 'Empty: from now. In the clinic’s time zone.')} sx={{ flex: 1, minWidth: 0 }} />
            <TextField label="Last day" type="date" value={draft.validUntil} onChange={set('validUntil')} slotProps={{ inputLabel: { shrink: true } }} {...withHelp(form.field('validUntil'), 'Empty: no end. The last day counts.')} sx={{ flex: 1, minWidth: 0 }} />
          </Stack>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
            <TextField label="Uses in total" value={draft.usageLimit} onChange={set('usageLimit')} {...withHelp(form.field('usageLimit'), 'Empty: no limit.')} sx={{ flex: 1, minWidth: 0 }} />
            <TextField label="Uses per patient" value={draft.perPatientLimit} onChange={set('perPatientLimit')} {...withHelp(form.field('perPatientLimit'), 'Empty: no limit.')} sx={{ flex: 1, minWidth: 0 }} />
            <TextField label={`Minimum price (${cur})`} value={draft.minAmount} onChange={set('minAmount')} {...withHelp(form.field('minAmountMinor'), 'Empty: any price.')} sx={{ flex: 1, minWidth: 0 }} />
          </Stack>
          <TextField
            select
            label="For consultations"
            value={typeIds}
            onChange={(e) => setTypeIds(e.target.value as unknown as string[])}
            slotProps={{ select: { multiple: true, displayEmpty: true, renderValue: (v) => ((v as string[]).length === 0 ? 'All consultations' : (v as string[]).map((id) => names.get(id)).join(', ')) }, inputLabel: { shrink: true } }}
            {...form.field('consultationTypeIds')}
          >
            {types.filter((t) => t.active || typeIds.includes(t.id)).map((t) => (
              <MenuItem key={t.id} value={t.id}>
                <Checkbox checked={typeIds.includes(t.id)} size="small" sx={{ p: 0, mr: 1 }} />
                {t.name}
              </MenuItem>
            ))}
          </TextField>
          <FormControlLabel control={<Checkbox checked={active} onChange={(e) => setActive(e.target.checked)} />} label="Active (can be used)" />
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            <Button type="submit" variant="contained" title="Enter or Ctrl+Enter">
              {code ? 'Save referral code' : 'Create referral code'}
            </Button>
            {code && (
              <Button onClick={onCancel} title="Escape">
                Cancel
              </Button>
            )}
            {form.errors.version && <Typography color="error" variant="body2">{form.errors.version.join(' ')}</Typography>}
          </Stack>
        </Stack>
      </form>
    </Paper>
  );
}

const withHelp = (field: { error: boolean; helperText?: string }, help: string) => (field.error ? field : { ...field, helperText: help });
const mergeFields = (a: { error: boolean; helperText?: string }, b: { error: boolean; helperText?: string }) =>
  a.error || b.error ? { error: true, helperText: [a.helperText, b.helperText].filter(Boolean).join(' ') } : { error: false };

/** Checks a code as it is typed, with the reason it fails or the price it gives. */
function TryCode({ money, types }: { money: Money; types: RosterConsultationType[] }) {
  const [code, setCode] = useState('');
  const [typeId, setTypeId] = useState(types[0]?.id ?? '');
  const [result, setResult] = useState<ReferralCheck | null>(null);
  const latest = useRef(0);
  useEffect(() => {
    if (!typeId) return;
    const ticket = ++latest.current;
    const timer = setTimeout(() => {
      void call('referral/check', { code: code.slice(0, 64), consultationTypeId: typeId }).then((r) => {
        if (ticket === latest.current) setResult(r.ok ? r.data : { valid: false, reason: null, message: r.error.message, breakdown: { currency: money.currency, baseMinor: 0, discountMinor: 0, totalMinor: 0 } });
      });
    }, 200);
    return () => clearTimeout(timer);
  }, [code, typeId, money.currency]);
  const fmt = (minor: number) => formatMoney(minor, result?.breakdown.currency ?? money.currency, money.locale);
  return (
    <Paper sx={{ p: 2, flex: 1, minWidth: 280, width: '100%' }} component="section" aria-label="Try a code">
      <Typography variant="h6" component="h2">
        Try a code
      </Typography>
      <Stack spacing={1.5} sx={{ mt: 1 }}>
        <TextField select label="Consultation" value={typeId} onChange={(e) => setTypeId(e.target.value)}>
          {types.map((t) => (
            <MenuItem key={t.id} value={t.id}>
              {t.name}
            </MenuItem>
          ))}
        </TextField>
        <TextField label="Referral code to try" value={code} onChange={(e) => setCode(e.target.value)} slotProps={{ htmlInput: { style: { textTransform: 'uppercase' } } }} />
        {result && result.message && (
          <Alert severity={result.valid ? 'success' : 'warning'} role="status">
            {result.message}
          </Alert>
        )}
        {result && (
          <Table size="small" aria-label="Price">
            <TableBody>
              <TableRow>
                <TableCell>Price</TableCell>
                <TableCell align="right">{fmt(result.breakdown.baseMinor)}</TableCell>
              </TableRow>
              <TableRow>
                <TableCell>Discount</TableCell>
                <TableCell align="right">{result.breakdown.discountMinor > 0 ? `− ${fmt(result.breakdown.discountMinor)}` : fmt(0)}</TableCell>
              </TableRow>
              <TableRow>
                <TableCell sx={{ fontWeight: 700 }}>Total</TableCell>
                <TableCell align="right" sx={{ fontWeight: 700 }}>
                  {fmt(result.breakdown.totalMinor)}
                </TableCell>
              </TableRow>
            </TableBody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
