import type { ActorKind, CallerGate } from '../dispatch.js';

/**
 * Per-address budgets for web mode. A token bucket per client address: `perMinute` tokens,
 * refilled evenly over a minute. Time comes from the app's clock, so tests are deterministic.
 */
export class AddressBudget {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
    private readonly maxAddresses = 20_000,
  ) {}

  /** Takes one token: 0 when taken, else the whole seconds until one is free (nothing taken). */
  take(address: string): number {
    const bucket = this.refilled(address);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return this.wait(bucket);
  }

  /** Seconds until a token is free, 0 when one is free now; takes nothing. */
  peek(address: string): number {
    const bucket = this.refilled(address);
    return bucket.tokens >= 1 ? 0 : this.wait(bucket);
  }

  private wait(bucket: { tokens: number }): number {
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * 60) / this.perMinute));
  }

  private refilled(address: string): { tokens: number; at: number } {
    const now = this.now();
    let bucket = this.buckets.get(address);
    if (!bucket) {
      if (this.buckets.size >= this.maxAddresses) this.evict(now);
      bucket = { tokens: this.perMinute, at: now };
      this.buckets.set(address, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (elapsed * this.perMinute) / 60_000);
    bucket.at = now;
    return bucket;
  }

  /** Memory stays bounded: forget full buckets (they hold no state), else the oldest ones. */
  private evict(now: number): void {
    for (const [address, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000 >= this.perMinute) this.buckets.delete(address);
    }
    for (const address of this.buckets.keys()) {
      if (this.buckets.size < this.maxAddresses) break;
      this.buckets.delete(address);
    }
  }
}

/** Handlers that guess or create from nothing (passwords, registrations, first-run setup). */
export const GUESS_HANDLERS = new Set(['auth/login', 'patient/register', 'setup/initialize', 'setup/load-demo', 'portal/request-link', 'portal/exchange-link']);

/**
 * Patient-page handlers that cost a token more than a read (a hold takes a slot from everyone
 * else for minutes; a sign-in link sends a message): they spend the token's guessing budget too.
 */
export const COSTLY_FOR_TOKENS = new Set(['portal/hold', 'portal/request-link', 'portal/exchange-link', 'patient/register', 'booking/create', 'appointment/reschedule', 'portal/pay']);

/**
 * Handlers that answer a guess (is this referral code real?) and so spend the guessing budget
 * for anyone not signed in as staff. A receptionist checks codes as they are typed, and staff
 * work is never limited (see below).
 */
export const GUESS_HANDLERS_UNLESS_STAFF = new Set(['referral/check', 'portal/price-preview']);

/** Handlers that answer the same guess when this field is filled in (a booking with a code). */
export const GUESS_FIELDS_UNLESS_STAFF: Readonly<Record<string, string>> = { 'booking/create': 'referralCode' };

const guessesUnlessStaff = (handler: string, input: unknown): boolean => {
  if (GUESS_HANDLERS_UNLESS_STAFF.has(handler)) return true;
  const field = GUESS_FIELDS_UNLESS_STAFF[handler];
  if (!field || typeof input !== 'object' || input === null) return false;
  const value = (input as Record<string, unknown>)[field];
  return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
};

export interface CallerLimits {
  /** Every request of anyone not signed in as staff. */
  general: AddressBudget;
  /** Sign-in, self-registration and setup attempts, and non-staff referral code checks (a smaller budget). */
  guesses: AddressBudget;
  /** Per patient token (by its row id): every request made with it, whatever address it comes from. */
  perToken?: AddressBudget;
  /** Per patient token: holds, sign-in links, bookings (see COSTLY_FOR_TOKENS). */
  costlyPerToken?: AddressBudget;
  /**
   * Per patient token: referral code guesses (checking a code, the patient page's price
   * preview, booking with a code), so one token cannot probe codes from many addresses.
   */
  guessesPerToken?: AddressBudget;
}

/**
 * The policy for one request from `address`, handed to the dispatcher, which calls `admit`
 * once it knows who the caller is:
 * - signed-in staff are never limited in their work (their refusals are audited one by one);
 * - anyone else — anonymous or a patient with a token (one registration away) — spends a token
 *   on every request;
 * - sign-in, self-registration and setup spend from the smaller guessing budget as well,
 *   whoever calls (a staff cookie is no licence to spray passwords);
 * - checking a referral code, or booking with one, spends from the guessing budget for anyone
 *   but signed-in staff.
 */
export function gateFor(limits: CallerLimits, address: string): CallerGate & { settle(status: number): void } {
  let kind: ActorKind | null = null;
  return {
    admit(actorKind, handler, input, tokenId) {
      kind = actorKind;
      // A patient token is limited wherever it comes from (many addresses, one stolen or scripted token).
      if (actorKind === 'patient' && tokenId) {
        const wait =
          limits.perToken?.take(tokenId) ||
          (COSTLY_FOR_TOKENS.has(handler) ? limits.costlyPerToken?.take(tokenId) : 0) ||
          (guessesUnlessStaff(handler, input) ? limits.guessesPerToken?.take(tokenId) : 0) ||
          0;
        if (wait) return wait;
      }
      // Guessing (a password, a registration) costs whoever calls: a staff cookie must not turn
      // into unlimited password spraying across usernames.
      if (GUESS_HANDLERS.has(handler)) {
        const wait = limits.guesses.take(address);
        if (wait) return wait;
      }
      if (actorKind === 'staff') return 0;
      // A patient (or anyone) probing referral codes — checking one, or booking with one: as
      // costly as guessing a password.
      if (guessesUnlessStaff(handler, input)) {
        const wait = limits.guesses.take(address);
        if (wait) return wait;
      }
      // Anyone not signed in as staff — patients included: a token is one registration away.
      return limits.general.take(address);
    },
    settle(status) {
      // A request refused before the dispatcher knew the caller (bad JSON, unknown route).
      if (kind === null && status >= 400) limits.general.take(address);
    },
  };
}
