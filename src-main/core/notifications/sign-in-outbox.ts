/**
 * The sender's side of one-time sign-in links (table `sign_in_message`, see
 * core/portal/sign-in-link.service.ts). Claimed, sent and recorded like the other messages,
 * with two differences: a link is not held back by quiet hours (the patient is waiting for it,
 * now), and its token is minted at claim time — the row never holds the link.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { NotificationSettings } from '../../contract/notifications.contract.js';
import type { ClinicSettings } from '../../contract/settings.contract.js';
import type { MailTransport, SendResult } from '../../adapters/smtp/smtp.adapter.js';
import type { RawDb } from '../db/database.js';
import type { SignInMessageTable } from '../db/schema.js';
import { backoffMs } from '../db/transaction.js';
import { LINK_LIFETIME_MS, mintLinkToken, signInUrl } from '../portal/sign-in-link.service.js';
import { languageOf, renderSignInLink } from './templates.js';

export interface ClaimedLink {
  row: SignInMessageTable;
  email?: Parameters<MailTransport['send']>[0];
  sms?: { to: string; body: string };
}

interface LinkFacts {
  given_name: string;
  family_name: string;
  email: string | null;
  phone_e164: string | null;
  preferred_language: string;
}

const setRow = (raw: RawDb, id: string, at: string, set: Partial<SignInMessageTable>) => {
  const cols = Object.keys(set);
  raw.prepare(`UPDATE sign_in_message SET ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`).run(...cols.map((c) => (set as Record<string, unknown>)[c] ?? null), at, id);
};

/** Rows left 'sending' by a crash: an e-mail goes again (same Message-ID, a fresh link); a text is not repeated. */
export function recoverLinks(raw: RawDb, now: Date, before: string): number {
  const rows = raw.prepare("SELECT id, channel FROM sign_in_message WHERE status = 'sending' AND claimed_at < ?").all(before) as Array<{ id: string; channel: string }>;
  for (const r of rows) {
    if (r.channel === 'email') setRow(raw, r.id, now.toISOString(), { status: 'queued', next_at: now.toISOString(), reason: 'Interrupted while sending: sent again.' });
    else setRow(raw, r.id, now.toISOString(), { status: 'failed', reason: 'Interrupted while sending: the text may or may not have arrived.' });
  }
  return rows.length;
}

/** Claims due link messages (inside the sender's claim transaction) and mints their tokens. */
export function claimLinks(
  raw: RawDb,
  o: { now: Date; clinic: ClinicSettings; settings: NotificationSettings; emailReady: boolean; smsReady: boolean; baseUrl: string | null; limit: number },
  skipped: () => void,
): ClaimedLink[] {
  const nowIso = o.now.toISOString();
  const rows = raw.prepare("SELECT * FROM sign_in_message WHERE status = 'queued' AND next_at <= ? ORDER BY next_at, id LIMIT ?").all(nowIso, o.limit) as SignInMessageTable[];
  const factsOf = raw.prepare('SELECT given_name, family_name, email, phone_e164, preferred_language FROM patient WHERE id = ?');
  const out: ClaimedLink[] = [];
  const skip = (r: SignInMessageTable, reason: string) => {
    setRow(raw, r.id, nowIso, { status: 'skipped', reason });
    skipped();
  };
  for (const r of rows) {
    const f = factsOf.get(r.patient_id) as LinkFacts | undefined;
    if (nowIso >= r.expires_at) {
      skip(r, 'Too late: the link was asked for more than 30 minutes ago.');
      continue;
    }
    // The contact must still be the patient's (it may have been changed at the desk meanwhile).
    if (!f || (r.channel === 'email' ? f.email : f.phone_e164) !== r.recipient) {
      skip(r, 'The patient’s contact details changed since the link was asked for.');
      continue;
    }
    if (!o.baseUrl) {
      skip(r, 'The patient page’s address is not known: set it in Settings (publicBaseUrl), or run the desk in web mode.');
      continue;
    }
    if (r.channel === 'email' ? !o.emailReady || !o.settings.email.fromAddress : !o.smsReady) {
      skip(r, r.channel === 'email' ? 'E-mail is not set up (Settings → Notifications).' : 'SMS is not set up (Settings → Notifications).');
      continue;
    }
    let smsTo: string | null = null;
    if (r.channel === 'sms') {
      const phone = parsePhoneNumberFromString(r.recipient);
      const type = phone?.getType();
      if (!phone || !phone.isValid() || (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE')) {
        skip(r, 'The patient’s phone number is not a mobile number (text messages cannot reach it).');
        continue;
      }
      smsTo = phone.number;
    }
    const minted = mintLinkToken(raw, r.patient_id, o.now, LINK_LIFETIME_MS);
    const rendered = renderSignInLink({
      language: languageOf(f.preferred_language, o.settings.defaultLanguage),
      patientGivenName: f.given_name,
      clinicName: o.clinic.clinicName,
      clinicPhone: o.settings.clinicPhone,
      url: signInUrl(o.baseUrl, minted.token),
      minutes: Math.round(LINK_LIFETIME_MS / 60_000),
    });
    setRow(raw, r.id, nowIso, { status: 'sending', claimed_at: nowIso, attempts: r.attempts + 1, token_id: minted.id });
    const row = { ...r, attempts: r.attempts + 1, token_id: minted.id };
    if (smsTo) {
      out.push({ row, sms: { to: smsTo, body: rendered.sms } });
      continue;
    }
    out.push({
      row,
      email: {
        from: { name: o.settings.email.fromName || o.clinic.clinicName, address: o.settings.email.fromAddress },
        replyTo: o.settings.email.replyTo || undefined,
        to: { name: `${f.given_name} ${f.family_name}`, address: r.recipient },
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        messageId: r.message_id,
      },
    });
  }
  return out;
}

/** Records what the server said (inside a short transaction). A link that failed is withdrawn. */
export function recordLink(
  raw: RawDb,
  row: SignInMessageTable,
  outcome: SendResult,
  o: { now: Date; random: () => number; maxAttempts: number },
): 'sent' | 'failed' | 'retrying' {
  const at = o.now.toISOString();
  if (outcome.ok) {
    setRow(raw, row.id, at, { status: 'sent', sent_at: at, provider_id: outcome.providerId || null, reason: null });
    return 'sent';
  }
  // The link of a failed attempt never reached anyone for sure: it stops working.
  if (row.token_id) raw.prepare("UPDATE patient_token SET revoked_at = ?, revoked_reason = 'not delivered' WHERE id = ? AND revoked_at IS NULL").run(at, row.token_id);
  const nextAt = new Date(o.now.getTime() + backoffMs(row.attempts - 1, 15_000, 5 * 60_000, o.random)).toISOString();
  if (!outcome.transient || row.attempts >= o.maxAttempts || nextAt >= row.expires_at) {
    setRow(raw, row.id, at, { status: 'failed', reason: outcome.reason });
    return 'failed';
  }
  setRow(raw, row.id, at, { status: 'queued', next_at: nextAt, reason: `Will try again: ${outcome.reason}` });
  return 'retrying';
}
