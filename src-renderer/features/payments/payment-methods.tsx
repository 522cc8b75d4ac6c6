/**
 * The ways the desk takes money, one entry each. The payment dialog shows them in this order;
 * adding a method (e.g. "Card (Stripe reader)", "Send payment link") is one more entry: its
 * fields and how it sends (any handler; the dialog supplies the idempotency key).
 */
import Stack from '@mui/material/Stack';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { AppError, FieldErrors, Result } from '../../../src-main/contract/index.js';
import { contract } from '../../../src-main/contract/index.js';
import { fieldErrorsFrom } from '../../../src-main/contract/errors.js';
import { call } from '../../api/client.js';
import { useRead } from '../../api/queries.js';
import type { ClinicMoney } from './clinic-money.js';

export type Draft = Record<string, string>;

export interface MethodEnv {
  appointmentId: string;
  dueMinor: number;
  money: ClinicMoney;
}

export interface FieldsProps {
  draft: Draft;
  set(key: string, value: string): void;
  env: MethodEnv;
  /** TextField props for a field's error (the contract's field names). */
  field(key: string): { error: boolean; helperText?: string };
}

/** What a method needs before it sends: field errors in plain words, or the send itself. */
export type Prepared = { fieldErrors: FieldErrors } | { send(idempotencyKey: string): Promise<Result<unknown>>; done(): string };

export interface MethodEntry {
  id: string;
  label: string;
  /** The submit button's words ("Take cash"). */
  action: string;
  Fields(props: FieldsProps): React.ReactNode;
  prepare(draft: Draft, env: MethodEnv): Prepared;
  /** The draft a method starts with when chosen. */
  initial?(env: MethodEnv): Draft;
}

const recordInput = contract['payment/record'].input;

/** Parses the amounts first (locale rules), then checks the contract's own schema. */
function prepareRecord(raw: Record<string, unknown>, amounts: Record<string, string | undefined>, env: MethodEnv, done: () => string): Prepared {
  const fieldErrors: FieldErrors = {};
  const input: Record<string, unknown> = { ...raw, appointmentId: env.appointmentId, idempotencyKey: 'placeholder-key' };
  for (const [key, text] of Object.entries(amounts)) {
    if (text === undefined) continue;
    const parsed = env.money.parse(text);
    if (parsed.ok) input[key] = parsed.minor;
    else fieldErrors[key] = [parsed.message];
  }
  if (Object.keys(fieldErrors).length > 0) return { fieldErrors };
  const checked = recordInput.safeParse(input, { reportInput: true });
  if (!checked.success) return { fieldErrors: fieldErrorsFrom(checked.error) };
  return {
    send: (idempotencyKey) => call('payment/record', { ...(checked.data as object), idempotencyKey } as never),
    done,
  };
}

const amountField = (p: FieldsProps, key: string, label: string, autoFocus = false) => (
  <TextField
    label={`${label} (${p.env.money.currency})`}
    value={p.draft[key] ?? ''}
    onChange={(e) => p.set(key, e.target.value)}
    autoFocus={autoFocus}
    slotProps={{ htmlInput: { inputMode: 'decimal', autoComplete: 'off' } }}
    sx={{ minWidth: 160, flex: 1 }}
    {...p.field(key)}
  />
);

/** Change to give, live, from what is typed (nothing while either amount does not read). */
export function changeOf(draft: Draft, money: ClinicMoney): { minor: number } | { short: number } | null {
  const amount = money.parse(draft.amount ?? '');
  const tendered = money.parse(draft.tendered?.trim() ? draft.tendered : (draft.amount ?? ''));
  if (!amount.ok || !tendered.ok) return null;
  return tendered.minor >= amount.minor ? { minor: tendered.minor - amount.minor } : { short: amount.minor - tendered.minor };
}

const withDue = (env: MethodEnv): Draft => ({ amount: env.money.amount(env.dueMinor) });

export const cashMethod: MethodEntry = {
  id: 'cash',
  label: 'Cash',
  action: 'Take cash',
  initial: withDue,
  Fields(p) {
    const change = changeOf(p.draft, p.env.money);
    return (
      <>
        <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap', rowGap: 2 }}>
          {amountField(p, 'amount', 'Amount', true)}
          {amountField(p, 'tendered', 'Handed over')}
        </Stack>
        <Typography aria-live="polite" sx={{ mt: 1, fontWeight: 600 }} color={change && 'short' in change ? 'error' : 'text.primary'}>
          {change === null ? ' ' : 'short' in change ? `${p.env.money.fmt(change.short)} short of the amount.` : `Change to give: ${p.env.money.fmt(change.minor)}`}
        </Typography>
      </>
    );
  },
  prepare(d, env) {
    const tendered = d.tendered?.trim() ? d.tendered : d.amount;
    const prepared = prepareRecord({ method: 'cash' }, { amountMinor: d.amount ?? '', tenderedMinor: tendered ?? '' }, env, () => {
      const change = changeOf(d, env.money);
      return `Took ${env.money.fmt(env.money.parse(d.amount ?? '').ok ? (env.money.parse(d.amount ?? '') as { minor: number }).minor : 0)} in cash${change && 'minor' in change ? `; change given ${env.money.fmt(change.minor)}` : ''}.`;
    });
    return 'fieldErrors' in prepared ? { fieldErrors: rename(prepared.fieldErrors) } : prepared;
  },
};

export const cardTerminalMethod: MethodEntry = {
  id: 'card_terminal',
  label: 'Card (desk terminal)',
  action: 'Record card payment',
  initial: withDue,
  Fields: (p) => (
    <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap', rowGap: 2 }}>
      {amountField(p, 'amount', 'Amount', true)}
      <TextField label="Terminal reference" value={p.draft.reference ?? ''} onChange={(e) => p.set('reference', e.target.value)} sx={{ minWidth: 200, flex: 1 }} {...p.field('reference')} />
    </Stack>
  ),
  prepare(d, env) {
    const prepared = prepareRecord({ method: 'card_terminal', reference: d.reference ?? '' }, { amountMinor: d.amount ?? '' }, env, () => `Card payment recorded (${d.reference?.trim()}).`);
    return 'fieldErrors' in prepared ? { fieldErrors: rename(prepared.fieldErrors) } : prepared;
  },
};

export const insuranceMethod: MethodEntry = {
  id: 'insurance',
  label: 'Insurance',
  action: 'Record insurance claim',
  initial: withDue,
  Fields: (p) => (
    <>
      <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap', rowGap: 2 }}>
        <TextField label="Insurer" value={p.draft.insurer ?? ''} onChange={(e) => p.set('insurer', e.target.value)} autoFocus sx={{ minWidth: 180, flex: 1 }} {...p.field('insurer')} />
        <TextField label="Claim reference" value={p.draft.reference ?? ''} onChange={(e) => p.set('reference', e.target.value)} sx={{ minWidth: 160, flex: 1 }} {...p.field('reference')} />
        {amountField(p, 'amount', 'Claimed from the insurer')}
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
        The patient’s co-payment (the rest) is taken next, by another method, in this dialog.
      </Typography>
    </>
  ),
  prepare(d, env) {
    const prepared = prepareRecord({ method: 'insurance', insurer: d.insurer ?? '', reference: d.reference ?? '' }, { amountMinor: d.amount ?? '' }, env, () => `Claim ${d.reference?.trim()} recorded with ${d.insurer?.trim()}.`);
    return 'fieldErrors' in prepared ? { fieldErrors: rename(prepared.fieldErrors) } : prepared;
  },
};

export const noChargeMethod: MethodEntry = {
  id: 'no_charge',
  label: 'No charge',
  action: 'Record no charge',
  Fields: (p) => (
    <TextField label="Reason" value={p.draft.reason ?? ''} onChange={(e) => p.set('reason', e.target.value)} autoFocus fullWidth {...p.field('reason')} />
  ),
  prepare(d, env) {
    const prepared = prepareRecord({ method: 'no_charge', reason: d.reason ?? '' }, {}, env, () => 'Recorded as no charge.');
    return 'fieldErrors' in prepared ? { fieldErrors: rename(prepared.fieldErrors) } : prepared;
  },
};

/** The contract's field names → the draft's (amountMinor → amount). */
function rename(errors: FieldErrors): FieldErrors {
  const names: Record<string, string> = { amountMinor: 'amount', tenderedMinor: 'tendered' };
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [names[k] ?? k, v]));
}

/** Server field errors use the contract's names too. */
export const draftErrors = (error: AppError): AppError => (error.fieldErrors ? { ...error, fieldErrors: rename(error.fieldErrors) } : error);

const startStripeInput = contract['payment/start-stripe'].input;

/** Starts a Stripe payment for everything due; the payments list then follows it live (StripeProgressPanel). */
function prepareStripe(input: Record<string, unknown>, env: MethodEnv, done: () => string): Prepared {
  const checked = startStripeInput.safeParse({ ...input, appointmentId: env.appointmentId, idempotencyKey: 'placeholder-key' });
  if (!checked.success) return { fieldErrors: fieldErrorsFrom(checked.error) };
  return {
    send: (idempotencyKey) => call('payment/start-stripe', { ...checked.data, idempotencyKey }),
    done,
  };
}

export const stripeReaderMethod: MethodEntry = {
  id: 'stripe_terminal',
  label: 'Card (Stripe reader)',
  action: 'Send to the reader',
  Fields: function ReaderFields(p) {
    const settings = useRead('settings/get', {});
    const readers = settings.data?.stripeReaders ?? [];
    return (
    <Stack spacing={1}>
      <TextField
        select
        label="Reader"
        value={p.draft.readerId ?? ''}
        onChange={(e) => p.set('readerId', e.target.value)}
        autoFocus
        sx={{ minWidth: 240 }}
        {...p.field('readerId')}
        {...(readers.length === 0 && !settings.loading ? { error: true, helperText: 'No Stripe reader is set up: an admin adds readers in Settings → Stripe.' } : {})}
      >
        {readers.map((r) => (
          <MenuItem key={r.id} value={r.id}>
            {r.label} ({r.id})
          </MenuItem>
        ))}
      </TextField>
      <Typography variant="body2" color="text.secondary">
        {p.env.money.fmt(p.env.dueMinor)} is sent to the reader; the patient taps or inserts the card there. The card never touches this app.
      </Typography>
    </Stack>
    );
  },
  prepare: (d, env) => prepareStripe({ method: 'stripe_terminal', readerId: (d.readerId ?? '').trim() }, env, () => 'Sent to the reader: waiting for the card.'),
};

export const stripeLinkMethod: MethodEntry = {
  id: 'stripe_checkout',
  label: 'Payment link (Stripe)',
  action: 'Create payment link',
  Fields: (p) => (
    <Typography variant="body2" color="text.secondary">
      A Stripe payment page for {p.env.money.fmt(p.env.dueMinor)}: copy the link for the patient or open it on this computer. The payment is recorded when Stripe confirms it.
    </Typography>
  ),
  prepare: (_d, env) => prepareStripe({ method: 'stripe_checkout' }, env, () => 'Payment link created: it appears below with Copy and Open.'),
};

/** The desk's methods, in order. */
export const paymentMethodEntries: MethodEntry[] = [cashMethod, cardTerminalMethod, stripeReaderMethod, stripeLinkMethod, insuranceMethod, noChargeMethod];
