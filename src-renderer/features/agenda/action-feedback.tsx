import { useEffect, useState, useSyncExternalStore } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import Snackbar from '@mui/material/Snackbar';
import type { UndoOffer } from '../../../src-main/contract/index.js';
import { call } from '../../api/client.js';
import { invalidateAll } from '../../api/queries.js';
import { navigate } from '../../app/router.js';

/**
 * The message after an action on an appointment (check-in, complete, no-show, cancel,
 * reschedule), announced to screen readers, with **Undo** (also Alt+Z) while the server offers
 * it. Undo is `appointment/undo`, a server operation; a refusal is shown in its words, and when
 * the slot is gone the message offers to book another time.
 */
export interface Feedback {
  message: string;
  severity: 'success' | 'info' | 'warning' | 'error';
  undo?: UndoOffer | null;
  /** For "Book another time" when an undo finds the slot taken. */
  patientId?: string;
}

let current: (Feedback & { key: number }) | null = null;
let counter = 0;
const listeners = new Set<() => void>();
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => void listeners.delete(l);
};
const set = (next: Feedback | null) => {
  current = next ? { ...next, key: ++counter } : null;
  for (const l of listeners) l();
};

/** Shows a message about the action just done (replacing any earlier one). */
export const showFeedback = (f: Feedback): void => set(f);

const undoLabels: Record<UndoOffer['action'], string> = { check_in: 'Undo check-in', no_show: 'Undo no-show', cancel: 'Undo cancel' };

/** Mounted once (app.tsx). */
export function ActionFeedbackHost() {
  const f = useSyncExternalStore(subscribe, () => current);
  const [busy, setBusy] = useState(false);
  const undo = f?.undo ?? null;

  const runUndo = async () => {
    if (!f || !undo || busy) return;
    setBusy(true);
    const result = await call('appointment/undo', { undoId: undo.id });
    setBusy(false);
    if (result.ok) {
      set({ message: result.data.summary, severity: 'success' });
      void invalidateAll();
    } else {
      set({ message: result.error.message, severity: 'error', patientId: result.error.code === 'appointment/undo-slot-taken' || result.error.code === 'appointment/undo-patient-busy' || result.error.code === 'appointment/undo-expired' ? f.patientId : undefined });
    }
  };

  // Alt+Z undoes while an undo is offered.
  useEffect(() => {
    if (!undo) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === 'z' || e.key === 'Z' || e.code === 'KeyZ')) {
        e.preventDefault();
        void runUndo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  // The offer ends with the server's window: the button goes, the message stays.
  useEffect(() => {
    if (!f || !undo) return;
    const left = Date.parse(undo.expiresAt) - Date.now();
    const key = f.key;
    const timer = setTimeout(() => {
      if (current?.key === key) set({ ...f, undo: null });
    }, Math.max(0, left));
    return () => clearTimeout(timer);
  }, [f, undo]);

  if (!f) return null;
  return (
    <Snackbar key={f.key} open anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }} onClose={(_e, reason) => reason !== 'clickaway' && set(null)}>
      <Alert
        severity={f.severity}
        variant="filled"
        role={f.severity === 'error' ? 'alert' : 'status'}
        aria-live={f.severity === 'error' ? 'assertive' : 'polite'}
        sx={{ alignItems: 'center', maxWidth: 720 }}
        action={
          <>
            {undo && (
              <Button color="inherit" size="small" onClick={() => void runUndo()} disabled={busy} title="Alt+Z" sx={{ fontWeight: 700, whiteSpace: 'nowrap' }}>
                {undoLabels[undo.action]}
              </Button>
            )}
            {!undo && f.patientId && f.severity === 'error' && (
              <Button color="inherit" size="small" onClick={() => (set(null), navigate('book', f.patientId!))} sx={{ fontWeight: 700, whiteSpace: 'nowrap' }}>
                Book another time
              </Button>
            )}
            <IconButton color="inherit" size="small" aria-label="Close message" onClick={() => set(null)}>
              ✕
            </IconButton>
          </>
        }
      >
        {f.message}
      </Alert>
    </Snackbar>
  );
}
