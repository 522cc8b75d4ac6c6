import { useEffect, useRef, useState } from 'react';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import type { AppointmentView, ReferralCheck } from '../../../src-main/contract/index.js';
import { formatMoney, localeForCountry } from '../../../src-main/contract/money.js';
import { call, fetchData } from '../../api/client.js';
import { useLoad } from '../../components/use-load.js';

export type Price = AppointmentView['price'];

/** What a referral check answers for: the code as typed, the consultation, the patient. */
export const referralCheckKey = (code: string, consultationTypeId: string | null, patientId: string | null): string =>
  JSON.stringify([code.trim().toUpperCase(), consultationTypeId, patientId]);

/** The clinic's locale for amounts (from its country), as the money module formats them. */
export function useClinicLocale(): string | undefined {
  const settings = useLoad(() => fetchData('settings/get', {}), 'clinic-locale');
  return settings.data ? localeForCountry(settings.data.defaultCountry) : undefined;
}

/** "$54.00 ($60.00 − $6.00, code SUMMER-10)", or just "$60.00" without a discount. */
export function priceText(price: Price, locale?: string): string {
  const fmt = (minor: number) => formatMoney(minor, price.currency, locale);
  if (price.discountMinor === 0 && !price.referralCode) return fmt(price.totalMinor);
  return `${fmt(price.totalMinor)} (${fmt(price.baseMinor)} − ${fmt(price.discountMinor)}${price.referralCode ? `, code ${price.referralCode}` : ''})`;
}

/** Price, discount and total, in the clinic's currency. */
export function PriceTable({ price, locale, label = 'Price' }: { price: Price; locale?: string; label?: string }) {
  const fmt = (minor: number) => formatMoney(minor, price.currency, locale);
  return (
    <Table size="small" aria-label={label} sx={{ maxWidth: 360, mt: 0.5, '& td': { px: 1, py: 0.5 } }}>
      <TableBody>
        <TableRow>
          <TableCell>Price</TableCell>
          <TableCell align="right">{fmt(price.baseMinor)}</TableCell>
        </TableRow>
        <TableRow>
          <TableCell>Discount{price.referralCode ? ` (code ${price.referralCode})` : ''}</TableCell>
          <TableCell align="right">{price.discountMinor > 0 ? `− ${fmt(price.discountMinor)}` : fmt(0)}</TableCell>
        </TableRow>
        <TableRow>
          <TableCell sx={{ fontWeight: 700 }}>Total</TableCell>
          <TableCell align="right" sx={{ fontWeight: 700 }}>
            {fmt(price.totalMinor)}
          </TableCell>
        </TableRow>
      </TableBody>
    </Table>
  );
}

/**
 * A referral code checked as it is typed (`referral/check`, debounced, for this patient and
 * consultation): the reason it fails in plain words, or what it takes off. `onChecked` gets each
 * answer with the key it is for (`referralCheckKey`), so a parent never uses a stale one.
 */
export function ReferralCodeField(props: {
  value: string;
  onChange: (code: string) => void;
  consultationTypeId: string | null;
  patientId: string | null;
  onChecked: (answer: { key: string; check: ReferralCheck }) => void;
  /** A refusal from the server at booking (the same words), shown until the code changes. */
  error?: string;
}) {
  const { value, consultationTypeId, patientId, onChecked } = props;
  const key = referralCheckKey(value, consultationTypeId, patientId);
  const [answer, setAnswer] = useState<{ key: string; check: ReferralCheck } | null>(null);
  const check = answer?.key === key ? answer.check : null;
  const latest = useRef(0);
  useEffect(() => {
    const ticket = ++latest.current;
    if (!consultationTypeId || value.trim() === '') return;
    const timer = setTimeout(() => {
      void call('referral/check', { code: value.slice(0, 64), consultationTypeId, ...(patientId ? { patientId } : {}) }).then((r) => {
        if (ticket !== latest.current) return;
        const result = { key, check: r.ok ? r.data : { valid: false, reason: null, message: r.error.fieldErrors?.code?.[0] ?? r.error.message, breakdown: { currency: '', baseMinor: 0, discountMinor: 0, totalMinor: 0 } } };
        setAnswer(result);
        onChecked(result);
      });
    }, 300);
    return () => clearTimeout(timer);
    // onChecked is the parent's setter; the check depends on what is typed and for whom.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const failed = props.error ?? (check && !check.valid ? check.message : undefined);
  return (
    <TextField
      label="Referral code"
      size="small"
      value={value}
      onChange={(e) => props.onChange(e.target.value)}
      error={Boolean(failed)}
      helperText={failed ?? (check?.valid ? check.message : value.trim() ? 'Checking…' : 'Optional: a code from a referring agent.')}
      slotProps={{
        htmlInput: { maxLength: 64, autoComplete: 'off', spellCheck: false, style: { textTransform: 'uppercase' } },
        formHelperText: { sx: check?.valid && !failed ? { color: 'success.main' } : undefined },
      }}
      sx={{ maxWidth: 360 }}
    />
  );
}
