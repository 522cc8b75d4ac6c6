/**
 * When to look again at a PaymentIntent (or reader, or Checkout Session) a desk is waiting
 * for: a desk cannot receive webhooks, so it polls, backing off. 2 s, 4 s, 8 s … capped at
 * 60 s, each with up to ±20 % jitter so many desks do not poll in step.
 */
export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  /** Fraction of the delay that jitter may add or remove (default 0.2). */
  jitter?: number;
  /** A number in [0, 1): Math.random by default; tests pass a fixed one. */
  random?: () => number;
}

/** The delay in ms before poll number `attempt` (0 for the first look after starting). */
export function backoffSchedule(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 2000;
  const cap = options.capMs ?? 60_000;
  const jitter = options.jitter ?? 0.2;
  const random = options.random ?? Math.random;
  const n = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt)) : 0;
  // 2^n overflows nothing: capped before it grows (n ≥ 30 is far past the cap anyway).
  const plain = Math.min(cap, base * 2 ** Math.min(n, 30));
  const spread = plain * jitter * (2 * random() - 1);
  return Math.max(0, Math.min(cap, Math.round(plain + spread)));
}
