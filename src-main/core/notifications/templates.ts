/**
 * What a message says, per kind and language (English and Spanish shipped): subject, plain
 * text, HTML and the SMS line. Only what the patient needs to turn up: when, where, with whom,
 * and how to reach the clinic — no consultation type, requirements or any clinical detail.
 * Every value is HTML-escaped in the HTML part; headers are made single-line by the adapter.
 */
import type { MessageKind } from '../db/schema.js';

export type Language = 'en' | 'es';

export interface MessageFacts {
  kind: MessageKind;
  language: Language;
  patientGivenName: string;
  clinicName: string;
  clinicAddress: string;
  clinicPhone: string;
  doctorName: string;
  locationName: string;
  locationAddress: string;
  startAt: string;
  timeZone: string;
  /** For a reschedule: when it was before. */
  previousStartAt: string | null;
  /** Minutes before the start, for a reminder. */
  offsetMinutes: number;
  /** Confirmations and reschedules: a one-time "manage your booking" link (null: no patient page). */
  manageUrl?: string | null;
  /** The patient has not answered the health questions yet: the e-mail says the manage link leads to them (not in texts). */
  healthQuestionsOpen?: boolean;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  /** One GSM-7 segment where possible (see smsText). */
  sms: string;
}

interface Words {
  subject: Record<MessageKind, string>;
  lead: Record<MessageKind, string>;
  hello: string;
  when: string;
  where: string;
  with: string;
  was: string;
  contact: string;
  invite: string;
  manage: string;
  health: string;
  smsManage: string;
  sms: Record<MessageKind, string>;
  smsShort: Record<MessageKind, string>;
}

const words: Record<Language, Words> = {
  en: {
    subject: {
      confirmation: 'Your appointment at {clinic} on {date} at {time}',
      reminder: 'Reminder: your appointment at {clinic} on {date} at {time}',
      reschedule: 'Your appointment at {clinic} has moved to {date} at {time}',
      cancellation: 'Cancelled: your appointment at {clinic} on {date} at {time}',
    },
    lead: {
      confirmation: 'your appointment is booked.',
      reminder: 'this is a reminder of your appointment.',
      reschedule: 'your appointment has moved to a new time.',
      cancellation: 'your appointment has been cancelled.',
    },
    hello: 'Hello {name},',
    when: 'When',
    where: 'Where',
    with: 'With',
    was: 'Before',
    contact: 'To change or cancel, please call us{phone}.',
    invite: 'The attached invitation updates your calendar.',
    manage: 'Manage your booking (see, move or cancel it; the link works once, for 7 days): {url}',
    health: 'Before your visit, please answer a few health questions (2 minutes): the same link takes you there.',
    smsManage: ' Manage: {url}',
    sms: {
      confirmation: '{clinic}: appointment booked {date} {time} with {doctor}, {location}.{phone}',
      reminder: '{clinic}: reminder, appointment {date} {time} with {doctor}, {location}.{phone}',
      reschedule: '{clinic}: appointment moved to {date} {time} with {doctor}, {location}.{phone}',
      cancellation: '{clinic}: appointment {date} {time} with {doctor} is cancelled.{phone}',
    },
    smsShort: {
      confirmation: '{clinic}: booked {date} {time}.{phone}',
      reminder: '{clinic}: reminder {date} {time}.{phone}',
      reschedule: '{clinic}: moved to {date} {time}.{phone}',
      cancellation: '{clinic}: {date} {time} cancelled.{phone}',
    },
  },
  es: {
    subject: {
      confirmation: 'Su cita en {clinic} el {date} a las {time}',
      reminder: 'Recordatorio: su cita en {clinic} el {date} a las {time}',
      reschedule: 'Su cita en {clinic} ha cambiado al {date} a las {time}',
      cancellation: 'Cancelada: su cita en {clinic} el {date} a las {time}',
    },
    lead: {
      confirmation: 'su cita está reservada.',
      reminder: 'le recordamos su cita.',
      reschedule: 'su cita ha cambiado de hora.',
      cancellation: 'su cita ha sido cancelada.',
    },
    hello: 'Hola {name}:',
    when: 'Cuándo',
    where: 'Dónde',
    with: 'Con',
    was: 'Antes',
    contact: 'Para cambiarla o cancelarla, llámenos{phone}.',
    invite: 'La invitación adjunta actualiza su calendario.',
    manage: 'Gestione su cita (verla, cambiarla o cancelarla; el enlace sirve una vez, durante 7 días): {url}',
    health: 'Antes de su visita, responda unas preguntas de salud (2 minutos): el mismo enlace le lleva a ellas.',
    smsManage: ' Gestionar: {url}',
    sms: {
      confirmation: '{clinic}: cita reservada {date} {time} con {doctor}, {location}.{phone}',
      reminder: '{clinic}: recordatorio, cita {date} {time} con {doctor}, {location}.{phone}',
      reschedule: '{clinic}: cita cambiada al {date} {time} con {doctor}, {location}.{phone}',
      cancellation: '{clinic}: cita {date} {time} con {doctor} cancelada.{phone}',
    },
    smsShort: {
      confirmation: '{clinic}: cita {date} {time}.{phone}',
      reminder: '{clinic}: recordatorio {date} {time}.{phone}',
      reschedule: '{clinic}: cita cambiada {date} {time}.{phone}',
      cancellation: '{clinic}: cita {date} {time} cancelada.{phone}',
    },
  },
};

export const languageOf = (preferred: string, fallback: Language): Language => {
  const base = preferred.toLowerCase().split('-')[0];
  return base === 'en' || base === 'es' ? base : fallback;
};

const fill = (template: string, values: Record<string, string>): string => template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Names and addresses as text: no control characters, one line. */
const clean = (s: string): string => s.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').replace(/\s+/g, ' ').trim();

// ---- GSM 03.38 -------------------------------------------------------------------------
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXT = '^{}\\[~]|€\f';
/** Septets a text takes in GSM-7, or null when it needs UCS-2. */
export function gsmLength(s: string): number | null {
  let n = 0;
  for (const ch of s) {
    if (GSM_BASIC.includes(ch)) n += 1;
    else if (GSM_EXT.includes(ch)) n += 2;
    else return null;
  }
  return n;
}
/** Fits one SMS segment: 160 GSM-7 septets, else 70 UCS-2 characters. */
export const fitsOneSegment = (s: string): boolean => {
  const g = gsmLength(s);
  return g === null ? Array.from(s).length <= 70 : g <= 160;
};

/** Common look-alikes mapped into GSM-7 (curly quotes, dashes, accents GSM-7 lacks). */
export function toGsm(s: string): string {
  const map: Record<string, string> = { '‘': "'", '’': "'", '“': '"', '”': '"', '–': '-', '—': '-', '…': '...', 'á': 'a', 'í': 'i', 'ó': 'o', 'ú': 'u', 'Á': 'A', 'Í': 'I', 'Ó': 'O', 'Ú': 'U', 'ç': 'c', 'ê': 'e', 'â': 'a', 'ô': 'o', 'ë': 'e', 'ï': 'i', '\u00a0': ' ', '\u202f': ' ', 'Ł': 'L', 'ł': 'l', 'Đ': 'D', 'đ': 'd', 'œ': 'oe', 'Œ': 'OE', 'ı': 'i' };
  return Array.from(s.normalize('NFC'))
    .map((ch) => (GSM_BASIC.includes(ch) || GSM_EXT.includes(ch) ? ch : (map[ch] ?? (ch.normalize('NFD').replace(/\p{M}/gu, '') || ch))))
    .join('');
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** One cached Intl formatter per (locale, zone, style): building one costs far more than using it. */
function fmt(locale: string, zone: string, style: 'date' | 'time' | 'short' | 'zone' | 'sms'): Intl.DateTimeFormat {
  const key = `${locale}\u0000${zone}\u0000${style}`;
  let f = formats.get(key);
  if (!f) {
    const options: Record<typeof style, Intl.DateTimeFormatOptions> = {
      date: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
      time: { hour: 'numeric', minute: '2-digit' },
      short: { weekday: 'long', day: 'numeric', month: 'long', hour: 'numeric', minute: '2-digit' },
      zone: { timeZoneName: 'short' },
      sms: { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
    };
    f = new Intl.DateTimeFormat(locale, { timeZone: zone, ...options[style] });
    formats.set(key, f);
  }
  return f;
}
const partsOf = (f: Intl.DateTimeFormat, at: Date): Record<string, string> => Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));

export function renderMessage(f: MessageFacts): RenderedMessage {
  const w = words[f.language];
  const locale = f.language === 'es' ? 'es' : 'en-US';
  const at = new Date(f.startAt);
  const date = fmt(locale, f.timeZone, 'date').format(at);
  const time = `${fmt(locale, f.timeZone, 'time').format(at)} (${partsOf(fmt('en-US', f.timeZone, 'zone'), at).timeZoneName ?? f.timeZone})`;
  const clinic = clean(f.clinicName);
  const doctor = clean(f.doctorName);
  const location = clean(f.locationName);
  const where = [location, clean(f.locationAddress)].filter(Boolean).join(', ');
  const phone = clean(f.clinicPhone);
  const values = { clinic, date, time, name: clean(f.patientGivenName), doctor, location, phone: phone ? ` ${phone}` : '' };
  const subject = fill(w.subject[f.kind], values);
  const previous = f.previousStartAt ? fmt(locale, f.timeZone, 'short').format(new Date(f.previousStartAt)) : null;
  const rows: Array<[string, string]> = [
    [w.when, `${date}, ${time}`],
    ...(previous ? ([[w.was, previous]] as Array<[string, string]>) : []),
    [w.with, doctor],
    [w.where, where],
  ];
  const footer = [clinic, clean(f.clinicAddress), phone].filter(Boolean);
  const contact = fill(w.contact, { phone: phone ? ` (${phone})` : '' });
  const manageUrl = f.manageUrl && (f.kind === 'confirmation' || f.kind === 'reschedule') ? f.manageUrl : null;
  const manage = manageUrl ? fill(w.manage, { url: manageUrl }) : null;
  const health = manageUrl && f.healthQuestionsOpen ? w.health : null;
  const text = [
    fill(w.hello, values),
    '',
    `${clinic}: ${w.lead[f.kind]}`,
    '',
    ...rows.map(([k, v]) => `${k}: ${v}`),
    '',
    ...(manage ? [manage, ''] : []),
    ...(health ? [health, ''] : []),
    contact,
    w.invite,
    '',
    '--',
    ...footer,
    '',
  ].join('\n');
  const html = `<!doctype html><html lang="${f.language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;color:#1b1b1b;max-width:560px">
<p>${escapeHtml(fill(w.hello, values))}</p>
<p><strong>${escapeHtml(clinic)}</strong>: ${escapeHtml(w.lead[f.kind])}</p>
<table style="border-collapse:collapse">${rows.map(([k, v]) => `<tr><th style="text-align:left;padding:4px 12px 4px 0">${escapeHtml(k)}</th><td style="padding:4px 0">${escapeHtml(v)}</td></tr>`).join('')}</table>
${manageUrl ? `<p><a href="${escapeHtml(manageUrl)}">${escapeHtml(fill(w.manage, { url: '' }).replace(/:\s*$/, ''))}</a></p>` : ''}
${health ? `<p>${escapeHtml(health)}</p>` : ''}
<p>${escapeHtml(contact)}<br>${escapeHtml(w.invite)}</p>
<hr><p style="color:#555;font-size:13px">${footer.map(escapeHtml).join('<br>')}</p>
</body></html>`;
  return { subject, text, html, sms: smsText(f, w, at, manageUrl) };
}

function smsText(f: MessageFacts, w: Words, at: Date, manageUrl: string | null): string {
  const p = partsOf(fmt('en-GB', f.timeZone, 'sms'), at);
  const date = `${p.day}/${p.month}`;
  const time = `${p.hour}:${p.minute}`;
  const phone = clean(f.clinicPhone);
  const full = { clinic: toGsm(clean(f.clinicName)), date, time, doctor: toGsm(clean(f.doctorName)), location: toGsm(clean(f.locationName)) };
  const plain = [
    fill(w.sms[f.kind], { ...full, phone: phone ? ` ${phone}` : '' }),
    fill(w.sms[f.kind], { ...full, phone: '' }),
    fill(w.smsShort[f.kind], { ...full, phone: phone ? ` ${phone}` : '' }),
    fill(w.smsShort[f.kind], { ...full, phone: '' }),
  ];
  // With a manage link: the link first (it is how the patient moves or cancels), shorter text around it.
  const link = manageUrl ? fill(w.smsManage, { url: manageUrl }) : '';
  const candidates = plain.map((s) => toGsm(`${s}${link}`));
  return candidates.find(fitsOneSegment) ?? candidates.at(-1)!;
}

export interface SignInLinkFacts {
  language: Language;
  patientGivenName: string;
  clinicName: string;
  clinicPhone: string;
  url: string;
  minutes: number;
}

const signInWords: Record<Language, { subject: string; lead: string; button: string; notYou: string; sms: string }> = {
  en: {
    subject: 'Your sign-in link for {clinic}',
    lead: 'here is the link you asked for to see and book your appointments at {clinic}. It works once, for {minutes} minutes.',
    button: 'Sign in to {clinic}',
    notYou: 'Did not ask for it? Ignore this message: nobody can sign in without this link.',
    sms: '{clinic}: your sign-in link (once, {minutes} min): {url}',
  },
  es: {
    subject: 'Su enlace de acceso a {clinic}',
    lead: 'aquí tiene el enlace que pidió para ver y reservar sus citas en {clinic}. Sirve una vez, durante {minutes} minutos.',
    button: 'Entrar en {clinic}',
    notYou: '¿No lo pidió? Ignore este mensaje: nadie puede entrar sin este enlace.',
    sms: '{clinic}: su enlace de acceso (una vez, {minutes} min): {url}',
  },
};

/** The one-time sign-in link a patient asked for on the patient page (e-mail and SMS). */
export function renderSignInLink(f: SignInLinkFacts): { subject: string; text: string; html: string; sms: string } {
  const w = signInWords[f.language];
  const clinic = clean(f.clinicName);
  const phone = clean(f.clinicPhone);
  const values = { clinic, minutes: String(f.minutes), url: f.url, name: clean(f.patientGivenName) };
  const subject = fill(w.subject, values);
  const hello = fill(words[f.language].hello, values);
  const lead = fill(w.lead, values);
  const text = [hello, '', lead, '', f.url, '', w.notYou, '', '--', clinic, ...(phone ? [phone] : []), ''].join('\n');
  const html = `<!doctype html><html lang="${f.language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;color:#1b1b1b;max-width:560px">
<p>${escapeHtml(hello)}</p>
<p>${escapeHtml(lead)}</p>
<p><a href="${escapeHtml(f.url)}" style="display:inline-block;padding:12px 20px;background:#0b5cad;color:#ffffff;text-decoration:none;border-radius:6px">${escapeHtml(fill(w.button, values))}</a></p>
<p style="color:#555;font-size:13px">${escapeHtml(f.url)}</p>
<p>${escapeHtml(w.notYou)}</p>
<hr><p style="color:#555;font-size:13px">${[clinic, phone].filter(Boolean).map(escapeHtml).join('<br>')}</p>
</body></html>`;
  const sms = toGsm(fill(w.sms, { ...values, clinic: toGsm(clinic) }));
  return { subject, text, html, sms };
}
