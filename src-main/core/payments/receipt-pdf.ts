/**
 * A payment's receipt as a PDF (pdfkit). Text is set in DejaVu Sans (shipped in
 * resources/fonts, embedded as a subset), which covers Latin, Greek, Cyrillic and more: names
 * like Łukasz, Παπαδόπουλος or Иванова print as typed. A character the font cannot draw (CJK,
 * emoji) prints as '?', and control characters (line breaks in a reference) as a space, so no
 * text a person typed can break the layout or the file. Without the font files (a broken
 * install) the receipt falls back to the built-in Helvetica and Latin-1.
 */
import { existsSync } from 'node:fs';
import { openSync } from 'fontkit';
import PDFDocument from 'pdfkit';
import type { ReceiptView } from '../../contract/receipts.contract.js';
import { paymentMethodLabels } from '../../contract/payments.contract.js';
import { formatMoney } from '../money/money.js';
import { resourcePath } from '../resources.js';

const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

interface ReceiptFonts {
  regular: string;
  bold: string;
  /** Whether a code point can be drawn (both faces cover the same characters). */
  draws: (codePoint: number) => boolean;
}

const winAnsi = (code: number, ch: string) => code < 0x7f || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch);
const HELVETICA: ReceiptFonts = { regular: 'Helvetica', bold: 'Helvetica-Bold', draws: (code) => winAnsi(code, String.fromCodePoint(code)) };

let loaded: ReceiptFonts | null = null;
/** DejaVu Sans from resources/fonts, read once; Helvetica when the files are missing. */
export function receiptFonts(): ReceiptFonts {
  if (loaded) return loaded;
  const regular = resourcePath('fonts/DejaVuSans.ttf');
  const bold = resourcePath('fonts/DejaVuSans-Bold.ttf');
  if (!existsSync(regular) || !existsSync(bold)) return (loaded = HELVETICA);
  const a = openSync(regular);
  const b = openSync(bold);
  return (loaded = { regular, bold, draws: (code) => a.hasGlyphForCodePoint(code) && b.hasGlyphForCodePoint(code) });
}

/** Text the receipt font can draw: controls → space, format characters dropped, characters it lacks → '?', at most `max` characters. */
export function pdfSafe(text: string, max = 200, fonts: ReceiptFonts = receiptFonts()): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0x2028 || code === 0x2029) out += ' ';
    else if (code === 0x202f || code === 0x2009) out += ' '; // narrow spaces in formatted amounts
    else if (/\p{Cf}/u.test(ch)) continue; // bidi overrides, zero-width joiners: nothing to draw, only to mislead
    else if (fonts.draws(code)) out += ch;
    else out += '?';
  }
  out = out.replace(/ {2,}/g, ' ').trim();
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

/** The Latin-1 fallback, for the test that a broken install still makes a receipt. */
export const helveticaFonts = (): ReceiptFonts => HELVETICA;

const refundStatus: Record<ReceiptView['refunds'][number]['status'], string> = { pending: 'pending', succeeded: 'done', failed: 'failed' };

export function buildReceiptPdf(r: ReceiptView, fonts: ReceiptFonts = receiptFonts()): Promise<Buffer> {
  const safe = (text: string, max?: number) => pdfSafe(text, max, fonts);
  const money = (minor: number) => safe(formatMoney(minor, r.currency, r.locale));
  const doc = new PDFDocument({ size: 'A5', margin: 36, info: { Title: `Receipt ${r.number}`, Author: safe(r.clinic.name) } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 72;
  const line = (label: string, value: string, bold = false) => {
    const y = doc.y;
    doc.font(fonts.regular).fontSize(9).fillColor('#444').text(safe(label, 60), 36, y, { width: width * 0.45 });
    const after = doc.y;
    doc.font(bold ? fonts.bold : fonts.regular).fillColor('#000').text(safe(value, 300), 36 + width * 0.45, y, { width: width * 0.55, align: 'right' });
    doc.y = Math.max(after, doc.y) + 2;
  };
  const rule = () => {
    doc.moveTo(36, doc.y + 2).lineTo(36 + width, doc.y + 2).strokeColor('#999').lineWidth(0.5).stroke();
    doc.y += 8;
  };

  doc.font(fonts.bold).fontSize(14).text(safe(r.clinic.name, 120), { width });
  doc.font(fonts.regular).fontSize(9).fillColor('#444').text(safe([r.clinic.locationName, r.clinic.address].filter(Boolean).join(' · '), 300), { width });
  doc.moveDown(0.6);
  doc.font(fonts.bold).fontSize(12).fillColor('#000').text(`Receipt ${r.number}`, { width });
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
