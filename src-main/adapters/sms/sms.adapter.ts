/**
 * SMS adapters: plain inputs, plain results, `fetch` only (no SDK). Twilio's Messages API
 * (base URL configurable so tests use a loopback server) and a generic HTTPS webhook.
 */
export type SmsConfig =
  | { provider: 'twilio'; baseUrl: string; accountSid: string; authToken: string; from: string; timeoutMs?: number }
  | { provider: 'webhook'; url: string; token: string | null; timeoutMs?: number };

export interface SmsInput {
  /** E.164 */
  to: string;
  body: string;
  /** Our message id: the webhook gets it so it can drop a repeat. */
  id: string;
}

export type SmsResult = { ok: true; providerId: string; answer: string } | { ok: false; transient: boolean; reason: string };

const short = (s: string): string => s.replace(/[\p{Cc}]+/gu, ' ').trim().slice(0, 300);

async function post(url: string, init: RequestInit, timeoutMs: number): Promise<{ status: number; body: string } | { error: string }> {
  try {
    const res = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    const e = err as Error;
    return { error: e.name === 'TimeoutError' ? 'The SMS provider did not answer in time' : `The SMS provider could not be reached: ${short(e.message)}` };
  }
}

const transientStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

export async function sendSms(config: SmsConfig, msg: SmsInput): Promise<SmsResult> {
  const timeout = config.timeoutMs ?? 15_000;
  if (config.provider === 'twilio') {
    const url = `${config.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
    const form = new URLSearchParams({ To: msg.to, From: config.from, Body: msg.body });
    const r = await post(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: form.toString(),
      },
      timeout,
    );
    if ('error' in r) return { ok: false, transient: true, reason: r.error };
    let json: { sid?: string; status?: string; message?: string; code?: number } = {};
    try {
      json = JSON.parse(r.body) as typeof json;
    } catch {
      // not JSON: reported by status below
    }
    if (r.status >= 200 && r.status < 300 && json.sid) return { ok: true, providerId: json.sid, answer: `${r.status} ${json.status ?? 'accepted'}` };
    const reason = `The SMS provider answered ${r.status}${json.code ? ` (code ${json.code})` : ''}: ${short(json.message ?? r.body)}`;
    return { ok: false, transient: transientStatus(r.status), reason };
  }
  const r = await post(
    config.url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(config.token ? { authorization: `Bearer ${config.token}` } : {}) },
      body: JSON.stringify({ to: msg.to, body: msg.body, id: msg.id }),
    },
    timeout,
  );
  if ('error' in r) return { ok: false, transient: true, reason: r.error };
  if (r.status >= 200 && r.status < 300) {
    let id = msg.id;
    try {
      const json = JSON.parse(r.body) as { id?: unknown };
      if (typeof json.id === 'string' && json.id) id = short(json.id);
    } catch {
      // an empty or non-JSON 2xx is accepted; our id stands
    }
    return { ok: true, providerId: id, answer: String(r.status) };
  }
  return { ok: false, transient: transientStatus(r.status), reason: `The SMS webhook answered ${r.status}: ${short(r.body)}` };
}
