/**
 * What the preload exposes to the page as `window.clinicDesk`: one function, `invoke`, for
 * the contract's operation names only. Pure (no electron import) so tests can check it.
 */
import { handlerNames, type Result } from '../contract/index.js';

/** The one IPC channel between the renderer and main. */
export const INVOKE_CHANNEL = 'clinic-desk:invoke';

/** The renderer declares `window.clinicDesk?: ClinicDeskBridge` with this same shape. */
export interface ClinicDeskBridge {
  invoke(name: string, input: unknown): Promise<Result<unknown>>;
}

export type IpcInvoke = (channel: string, name: string, input: unknown) => Promise<unknown>;

const failure = (code: string, message: string): Result<unknown> => ({ ok: false, error: { code, message } });

export function createBridge(ipcInvoke: IpcInvoke, names: readonly string[] = handlerNames): ClinicDeskBridge {
  const allowed = new Set(names);
  const bridge: ClinicDeskBridge = {
    async invoke(name: string, input: unknown): Promise<Result<unknown>> {
      if (typeof name !== 'string' || !allowed.has(name)) {
        return failure('rpc/unknown-handler', `There is no operation named “${String(name).slice(0, 80)}”.`);
      }
      try {
        return (await ipcInvoke(INVOKE_CHANNEL, name, input)) as Result<unknown>;
      } catch {
        // Electron keeps only an error's message across IPC; main never throws, so this is
        // a broken channel (the window is closing, or the input could not be cloned).
        return failure('ipc/failed', 'The request could not reach Clinic Desk. Try again.');
      }
    },
  };
  return Object.freeze(bridge);
}
