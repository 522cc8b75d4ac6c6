/**
 * The main-process side of `clinicDesk.invoke`, without Electron: checks who is calling,
 * keeps each window's staff session token (the renderer never sees it), calls the one
 * dispatcher and returns its `{ ok, data } | { ok: false, error }`. It never throws.
 */
import { isHandlerName, type Result } from '../contract/index.js';
import type { Caller, DispatchOutcome } from '../dispatch.js';

export type DispatchFn = (name: string, input: unknown, caller?: Caller) => Promise<DispatchOutcome>;

/** The frame that sent the call, as Electron reports it. */
export interface InvokeSender {
  /** webContents id: session tokens are kept per web contents. */
  contentsId: number;
  /** URL of the sending frame (null when the frame is gone). */
  frameUrl: string | null;
  /** Calls from sub-frames are refused. */
  isMainFrame: boolean;
}

export interface InvokeHandlerDeps {
  dispatch: DispatchFn;
  isAllowedSender(url: string): boolean;
  log?: (line: string) => void;
}

export interface InvokeHandler {
  invoke(sender: InvokeSender, name: unknown, input: unknown): Promise<Result<unknown>>;
  /** Forget a closed window's session token. */
  forget(contentsId: number): void;
  /** For tests and diagnostics: whether a web contents has a signed-in session. */
  hasSession(contentsId: number): boolean;
  /** Whether a web contents' session is signed in and unlocked right now (never touches it). */
  isSignedIn(contentsId: number): Promise<boolean>;
}

const MAX_INPUT_CHARS = 256 * 1024;

const failure = (code: string, message: string): Result<unknown> => ({ ok: false, error: { code, message } });

export function createInvokeHandler(deps: InvokeHandlerDeps): InvokeHandler {
  const tokens = new Map<number, string>();
  const log = deps.log ?? ((line: string) => console.error(line));
  return {
    async invoke(sender, name, input) {
      if (!sender.isMainFrame || !sender.frameUrl || !deps.isAllowedSender(sender.frameUrl)) {
        log(`ipc: refused a call from ${sender.frameUrl ?? 'a closed frame'}${sender.isMainFrame ? '' : ' (sub-frame)'}`);
        return failure('ipc/forbidden-sender', 'Only Clinic Desk’s own window may make this request.');
      }
      if (typeof name !== 'string' || !isHandlerName(name)) {
        return failure('rpc/unknown-handler', `There is no operation named “${String(name).slice(0, 80)}”.`);
      }
      // The same size limit as web mode's request bodies.
      let size: number;
      try {
        size = JSON.stringify(input ?? null).length;
      } catch {
        return failure('validation/invalid-input', 'The request could not be read.');
      }
      if (size > MAX_INPUT_CHARS) return failure('validation/too-large', `The request is larger than ${MAX_INPUT_CHARS / 1024} KiB.`);
      try {
        const outcome = await deps.dispatch(name, input, { sessionToken: tokens.get(sender.contentsId) ?? null });
        if (outcome.session?.set) tokens.set(sender.contentsId, outcome.session.set);
        else if (outcome.session?.clear) tokens.delete(sender.contentsId);
        return outcome.result;
      } catch (err) {
        log(`ipc: ${name} failed: ${(err as Error)?.message ?? String(err)}`);
        return failure('internal/error', 'Something went wrong; nothing was saved. Try again.');
      }
    },
    forget(contentsId) {
      tokens.delete(contentsId);
    },
    hasSession(contentsId) {
      return tokens.has(contentsId);
    },
    async isSignedIn(contentsId) {
      const token = tokens.get(contentsId);
      if (!token) return false;
      try {
        const outcome = await deps.dispatch('auth/session', {}, { sessionToken: token });
        const data = outcome.result.ok ? (outcome.result.data as { staff: unknown; locked: boolean }) : null;
        return !!data?.staff && !data.locked;
      } catch {
        return false;
      }
    },
  };
}
