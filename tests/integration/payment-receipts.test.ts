import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PDFParse } from 'pdf-parse';
import { IDS, openClinic, type Clinic } from '../helpers/booking.js';
import { codeInput, inTransaction } from '../helpers/referrals.js';
import { confirmRedemption, reserveRedemption } from '../../src-main/core/referrals/redemption.service.js';
import { buildReceiptPdf, helveticaFonts, pdfSafe } from '../../src-main/core/payments/receipt-pdf.js';

/**
 * Receipts: the data of one payment's receipt and its PDF. Now is Monday 1 June 2026 in New
 * York; a general consultation with Dr Grey costs $60.00.
 */
let clinic: Clinic;
beforeEach(async () => {
  clinic = await openClinic();
});
afterEach(async () => {
  await clinic.dispose();
});

const key = () => `rcpt-${Math.random().toString(36).slice(2)}-${Date.now()}`;
const bookTomorrow = (patient = 0) => clinic.book('deskA', { patient, doctorId: IDS.grey, date: '2026-06-02', time: '10:00' });
const pdfText = async (base64: string): Promise<string> => {
  const parser = new PDFParse({ data: new Uint8Array(Buffer.from(base64, 'base64')) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
};

describe('payment/receipt', () => {
  it('carries the clinic, the patient, the appointment, the breakdown with its code, the cash and change, refunds and who took it', async () => {
    const a = await bookTomorrow();
    const saved = await clinic.ok('admin', 'referral/save', codeInput({ code: 'SPRING-10', discount: { kind: 'percent', bp: 1000, capMinor: null } }));
    const row = clinic.app.raw.prepare('SELECT patient_id, consultation_type_id, price_minor FROM appointment WHERE id = ?').get(a.id) as { patient_id: string; consultation_type_id: string; price_minor: number };
    await inTransaction(clinic.app, clinic.clock, async (ctx) => {
      const r = await reserveRedemption(ctx, { code: saved.code.code, patientId: row.patient_id, consultationTypeId: row.consultation_type_id, baseAmount: { minor: row.price_minor, currency: 'USD' } });
      await confirmRedemption(ctx, r.redemptionId, a.id);
    });
    const paid = await clinic.ok('deskA', 'payment/record', { method: 'cash', appointmentId: a.id, amountMinor: 6000, tenderedMinor: 10000, idempotencyKey: key() });
    await clinic.ok('deskA', 'payment/refund', { paymentId: paid.payment.id, amountMinor: 500, reason: 'Waited an hour', idempotencyKey: key() });
    const { receipt } = await clinic.ok('deskB', 'payment/receipt', { paymentId: paid.payment.id });
    expect(await clinic.ok('deskB', 'payment/price', { appointmentId: a.id })).toEqual({ currency: 'USD', baseMinor: 6000, discountMinor: 600, code: 'SPRING-10', totalMinor: 5400 });
    expect(receipt).toMatchObject({
      number: paid.payment.id.replace(/-/g, '').slice(0, 8).toUpperCase(),
      patient: { id: clinic.patients[0]!.patientId, number: clinic.patients[0]!.patientNumber },
      appointment: { id: a.id, localDate: '2026-06-02', localStart: '10:00', doctorName: a.doctorName, consultationType: a.consultationType },
      currency: 'USD',
      locale: 'en-US',
      price: { baseMinor: 6000, discountMinor: 600, code: 'SPRING-10', totalMinor: 5400 },
      method: 'cash',
      amountMinor: 6000,
      tenderedMinor: 10000,
      changeMinor: 4000,
      refundedMinor: 500,
      takenByName: 'Desk A',
      businessDay: '2026-06-01',
    });
    expect(receipt.clinic.name).toBeTruthy();
    expect(receipt.refunds).toEqual([expect.objectContaining({ amountMinor: 500, reason: 'Waited an hour', status: 'succeeded' })]);

    const pdf = await clinic.ok('deskA', 'payment/receipt-pdf', { paymentId: paid.payment.id });
    expect(pdf.fileName).toBe(`receipt-${receipt.number}.pdf`);
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf.base64);
    for (const expected of [`Receipt ${receipt.number}`, receipt.patient.name, receipt.patient.number, a.doctorName, '$60.00', '$6.00', 'SPRING-10', '$54.00', '$100.00', '$40.00', 'Waited an hour', 'Desk A', '2026-06-01', 'Cash']) {
      expect(text, expected).toContain(expected);
    }
  });

  it('a patient reads their own receipts and nobody else’s (the same answer as for no such payment)', async () => {
    const mine = await bookTomorrow(0);
    const theirs = await clinic.book('deskA', { patient: 1, doctorId: IDS.grey, date: '2026-06-02', time: '11:00' });
    const p1 = await clinic.ok('deskA', 'payment/record', { method: 'card_terminal', appointmentId: mine.id, amountMinor: 6000, reference: 'TRM-1', idempotencyKey: key() });
    const p2 = await clinic.ok('deskA', 'payment/record', { method: 'card_terminal', appointmentId: theirs.id, amountMinor: 6000, reference: 'TRM-2', idempotencyKey: key() });
    const own = await clinic.asPatient(clinic.patients[0]!, 'payment/receipt', { paymentId: p1.payment.id });
    expect(own.receipt).toMatchObject({ paymentId: p1.payment.id, reference: 'TRM-1' });
    const ownPdf = await clinic.asPatient(clinic.patients[0]!, 'payment/receipt-pdf', { paymentId: p1.payment.id });
    expect(await pdfText(ownPdf.base64)).toContain('TRM-1');
    const patient = { patientToken: clinic.patients[0]!.accessToken };
    const other = await clinic.err(patient, 'payment/receipt', { paymentId: p2.payment.id }, 'common/not-found');
    const none = await clinic.err(patient, 'payment/receipt', { paymentId: 'no-such-payment' }, 'common/not-found');
    expect(other.message).toBe(none.message);
    await clinic.err(patient, 'payment/receipt-pdf', { paymentId: p2.payment.id }, 'common/not-found');
    // The price breakdown likewise.
    expect(await clinic.asPatient(clinic.patients[0]!, 'payment/price', { appointmentId: mine.id })).toEqual({ currency: 'USD', baseMinor: 6000, discountMinor: 0, code: null, totalMinor: 6000 });
    await clinic.err(patient, 'payment/price', { appointmentId: theirs.id }, 'common/not-found');
    // Nobody signed in gets nothing.
    const anonymous = await clinic.app.dispatch('payment/receipt', { paymentId: p1.payment.id }, {});
    expect(anonymous.result.ok).toBe(false);
  });

  it('hostile text in names, insurer and references does not break the PDF or the data', async () => {
    const hostile = 'Ab\u202e<script>alert(1)</script>\r\n%PDF-1.4 ) \\ ( 你好 🩺 \u0000'.replace('\u0000', '');
    const a = await bookTomorrow();
    clinic.app.raw.prepare('UPDATE patient SET given_name = ?, family_name = ? WHERE id = ?').run(hostile, 'X'.repeat(300), clinic.patients[0]!.patientId);
    const claim = await clinic.ok('deskA', 'payment/record', { method: 'insurance', appointmentId: a.id, amountMinor: 4800, insurer: hostile, reference: `CLM\n${'9'.repeat(70)}`, idempotencyKey: key() });
    const { receipt } = await clinic.ok('deskA', 'payment/receipt', { paymentId: claim.payment.id });
    expect(receipt.insurer).toBe(hostile.trim());
    expect(receipt.status).toBe('pending');
    const pdf = await clinic.ok('deskA', 'payment/receipt-pdf', { paymentId: claim.payment.id });
    const text = await pdfText(pdf.base64);
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('Awaiting the insurer');
    expect(text).toContain('CLM 999');
    expect(pdfSafe('a\r\nb\u2028c 你 € é')).toBe('a b c ? € é');
    expect(pdfSafe('x'.repeat(500), 50)).toHaveLength(50);
    // A right-to-left override cannot turn the text around in the file.
    expect(text).not.toContain('\u202e');
  });

  it('prints names in Polish, Czech, Turkish, Greek and Cyrillic as typed; what the font cannot draw becomes ?', async () => {
    const names = ['Łukasz Řezníček', 'Şükrü Ağaoğlu', 'Ελένη Παπαδοπούλου', 'Анна Иванова', 'Nguyễn Thị Ánh'];
    const texts: string[] = [];
    const paymentIds: string[] = [];
    for (const [i, name] of names.entries()) {
      const [given, ...family] = name.split(' ');
      clinic.app.raw.prepare('UPDATE patient SET given_name = ?, family_name = ? WHERE id = ?').run(given, family.join(' '), clinic.patients[i]!.patientId);
      const a = await clinic.book('deskA', { patient: i, doctorId: IDS.grey, date: '2026-06-02', time: ["09:00", "10:00", "11:00", "13:00", "14:00"][i]! });
      const paid = await clinic.ok('deskA', 'payment/record', { method: 'cash', appointmentId: a.id, amountMinor: 6000, tenderedMinor: 6000, idempotencyKey: key() });
      paymentIds.push(paid.payment.id);
      texts.push(await pdfText((await clinic.ok('deskA', 'payment/receipt-pdf', { paymentId: paid.payment.id })).base64));
    }
    names.forEach((name, i) => expect(texts[i]).toContain(name));
    expect(pdfSafe('王小明 🩺 Zoë')).toBe('??? ? Zoë');
    // A broken install without the font files still makes a receipt, in Latin-1.
    const { receipt } = await clinic.ok('deskA', 'payment/receipt', { paymentId: paymentIds[0]! });
    const fallback = await pdfText((await buildReceiptPdf(receipt, helveticaFonts())).toString('base64'));
    expect(fallback).toContain('?ukasz ?ezní?ek');
  });
});
