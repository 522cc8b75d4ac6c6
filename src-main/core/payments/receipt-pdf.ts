/**
 * A payment's receipt as a PDF (pdfkit, the built-in Helvetica: no font files to ship).
 * Helvetica's encoding (WinAnsi) covers Latin-1 and a few typographic signs; any other
 * character is printed as '?', and control characters (line breaks in a reference) as a
 * space, so no text a person typed can break the layout or the file.
 */
import PDFDocument from 'pdfkit';
import type { ReceiptView } from '../../contract/receipts.contract.js';
import { paymentMethodLabels } from '../../contract/payments.contract.js';
import { formatMoney } from '../money/money.js';

const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Text Helvetica can draw: controls → space, characters outside WinAnsi → '?', at most `max` characters. */
export function pdfSafe(text: string, max = 200): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0x2028 || code === 0x2029) out += ' ';
    else if (code < 0x7f || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else if (code === 0x202f || code === 0x2009) out += ' '; // narrow spaces in formatted amounts
    else out += '?';
  }
  out = out.replace(/ {2,}/g, ' ').trim();
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

const refundStatus: Record<ReceiptView['refunds'][number]['status'], string> = { pending: 'pending', succeeded: 'done', failed: 'failed' };

export function buildReceiptPdf(r: ReceiptView): Promise<Buffer> {
  const money = (minor: number) => pdfSafe(formatMoney(minor, r.currency, r.locale));
  const doc = new PDFDocument({ size: 'A5', margin: 36, info: { Title: `Receipt ${r.number}`, Author: pdfSafe(r.clinic.name) } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 72;
  const line = (label: string, value: string, bold = false) => {
    const y = doc.y;
    doc.font('Helvetica').fontSize(9).fillColor('#444').text(pdfSafe(label, 60), 36, y, { width: width * 0.45 });
    const after = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fillColor('#000').text(pdfSafe(value, 300), 36 + width * 0.45, y, { width: width * 0.55, align: 'right' });
    doc.y = Math.max(after, doc.y) + 2;
  };
  const rule = () => {
    doc.moveTo(36, doc.y + 2).lineTo(36 + width, doc.y + 2).strokeColor('#999').lineWidth(0.5).stroke();
    doc.y += 8;
  };

  doc.font('Helvetica-Bold').fontSize(14).text(pdfSafe(r.clinic.name, 120), { width });
  doc.font('Helvetica').fontSize(9).fillColor('#444').text(pdfSafe([r.clinic.locationName, r.clinic.address].filter(Boolean).join(' · '), 300), { width });
  doc.moveDown(0.6);
  doc.font('Helvetica-Bold').fontSize(12).fillColor('#000').text(`Receipt ${r.number}`, { width });
  doc.moveDown(0.4);
  rule();
  line('Patient', `${r.patient.name} (${r.patient.number})`);
  line('Appointment', `${r.appointment.localDate} ${r.appointment.localStart}–${r.appointment.localEnd}`);
  line('Doctor', r.appointment.doctorName);
  line('Consultation', r.appointment.consultationType);
  rule();
  line('Price', money(r.price.baseMinor));
  if (r.price.discountMinor > 0) line(`Discount${r.price.code ? ` (code ${r.price.code})` : ''}`, `-${money(r.price.discountMinor)}`);
  line('Total', money(r.price.totalMinor), true);
  rule();
  line('Method', paymentMethodLabels[r.method] + (r.insurer ? ` — ${r.insurer}` : ''));
  line(r.method === 'insurance' ? 'Claimed' : r.method === 'no_charge' ? 'Amount' : 'Paid', money(r.amountMinor), true);
  if (r.tenderedMinor !== null) line('Handed over', money(r.tenderedMinor));
  if (r.changeMinor !== null) line('Change given', money(r.changeMinor));
  if (r.reference) line(r.method === 'no_charge' ? 'Reason' : r.method === 'insurance' ? 'Claim reference' : 'Reference', r.reference);
  if (r.status !== 'succeeded') line('Status', r.status === 'pending' ? 'Awaiting the insurer' : r.status);
  for (const refund of r.refunds) {
    line(`Refund (${refundStatus[refund.status]})`, `-${money(refund.amountMinor)}${refund.reference ? ` · ${refund.reference}` : ''}`);
    line('', refund.reason);
  }
  if (r.refunds.length > 0) line('Kept', money(r.amountMinor - r.refundedMinor), true);
  rule();
  line('Taken by', r.takenByName ?? '—');
  line('Business day', r.businessDay ?? '—');
  line('Date', r.paidAtLocal);
  doc.end();
  return done;
}
