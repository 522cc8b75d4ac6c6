/** Registers the one IPC handler, `clinic-desk:invoke`, over the app's dispatcher. */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { INVOKE_CHANNEL } from './bridge.js';
import { createInvokeHandler, type DispatchFn } from './ipc-handler.js';
import { isAllowedSenderUrl } from './security.js';

export function registerIpc(dispatch: DispatchFn, appUrl: string): () => void {
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

  return () => ipcMain.removeHandler(INVOKE_CHANNEL);
}
