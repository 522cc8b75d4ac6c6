/**
 * The renderer's only way to the core: `call(name, input)`, typed from the contract
 * itself. Over Electron IPC when the preload's bridge exists, else over HTTP (web mode).
 */
import type { AppError, HandlerName, InputOf, OutputOf, Result } from '../../src-main/contract/index.js';

export interface ClinicDeskBridge {
  invoke(name: string, input: unknown): Promise<Result<unknown>>;
  /** Change notices of committed writes, for signed-in windows (live screens). */
  onChange?(listener: (notices: unknown) => void): () => void;
}

declare global {
  interface Window {
    clinicDesk?: ClinicDeskBridge;
  }
}

type Listener = (error: AppError) => void;
const authListeners = new Set<Listener>();

/** Screens learn here that the session locked or ended, whichever call noticed it. */
export const onAuthError = (listener: Listener): (() => void) => {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
};

async function overHttp(name: string, input: unknown): Promise<Result<unknown>> {
  try {
    const response = await fetch(`/api/rpc/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(input ?? {}),
    });
    return (await response.json()) as Result<unknown>;
  } catch {
    return { ok: false, error: { code: 'network/unreachable', message: 'Cannot reach Clinic Desk. Check that it is running.' } };
  }
}

export async function call<K extends HandlerName>(name: K, input: InputOf<K>): Promise<Result<OutputOf<K>>> {
  const result = window.clinicDesk ? await window.clinicDesk.invoke(name, input) : await overHttp(name, input);
  const code = result.ok ? null : result.error.code;
  if (code === 'auth/locked' || code === 'auth/unauthenticated' || code === 'auth/session-ended') {
    for (const listener of authListeners) listener((result as { error: AppError }).error);
  }
  return result as Result<OutputOf<K>>;
}

/** Like call(), but throws the AppError: for loaders that show one error banner. */
export async function fetchData<K extends HandlerName>(name: K, input: InputOf<K>): Promise<OutputOf<K>> {
  const result = await call(name, input);
  if (!result.ok) throw result.error;
  return result.data;
}
