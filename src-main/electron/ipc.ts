/**
 * Registers the one IPC handler, `clinic-desk:invoke`, over the app's dispatcher, and sends
 * change notices to signed-in windows on `clinic-desk:change`.
 */
import { ipcMain, webContents, type IpcMainInvokeEvent } from 'electron';
import type { ChangeHub } from '../core/events/change-hub.js';
import { INVOKE_CHANNEL } from './bridge.js';
import { forwardChanges, type ChangeTarget } from './change-forwarder.js';
import { createInvokeHandler, type DispatchFn } from './ipc-handler.js';
import { isAllowedSenderUrl } from './security.js';

export function registerIpc(dispatch: DispatchFn, appUrl: string, changes?: ChangeHub): () => void {
  const handler = createInvokeHandler({ dispatch, isAllowedSender: (url) => isAllowedSenderUrl(url, appUrl) });
  const watched = new Set<number>();

  ipcMain.handle(INVOKE_CHANNEL, (event: IpcMainInvokeEvent, name: unknown, input: unknown) => {
    const contents = event.sender;
    const id = contents.id;
    if (!watched.has(id)) {
      watched.add(id);
      contents.once('destroyed', () => {
        handler.forget(id);
        watched.delete(id);
      });
    }
    const frame = event.senderFrame;
    return handler.invoke({ contentsId: id, frameUrl: frame?.url ?? null, isMainFrame: !!frame && frame.parent === null }, name, input);
  });

  const stopChanges = changes
    ? forwardChanges(changes, {
        isSignedIn: (id) => handler.isSignedIn(id),
        targets: () =>
          [...watched]
            .map((id) => webContents.fromId(id))
            .filter((c): c is NonNullable<typeof c> => !!c && !c.isDestroyed())
            .map((c): ChangeTarget => ({ id: c.id, send: (channel, payload) => c.send(channel, payload) })),
      })
    : () => {};

  return () => {
    stopChanges();
    ipcMain.removeHandler(INVOKE_CHANNEL);
  };
}
