import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import type { ButtonProps } from '@mui/material/Button';
import { navigate } from '../../app/router.js';
import { AppointmentCardView } from './appointment-card-view.js';
import { DaySheetView } from './day-sheet-view.js';
import { PatientLabelView } from './patient-label-view.js';
import { openPrintView } from './print.js';

/** `#/print/day-sheet/<date>[/<doctorId>]`, `#/print/appointment-card/<id>`, `#/print/patient-label/<id>`. */
export function PrintRoute({ route }: { route: string[] }) {
  const [view, a, b] = route;
  if (view === 'day-sheet' && a && /^\d{4}-\d{2}-\d{2}$/.test(a)) return <DaySheetView key={`${a}/${b ?? ''}`} date={a} doctorId={b} />;
  if (view === 'appointment-card' && a) return <AppointmentCardView key={a} appointmentId={a} />;
  if (view === 'patient-label' && a) return <PatientLabelView key={a} patientId={a} />;
  return (
    <main style={{ padding: 24 }}>
      <Typography component="h1" variant="h5" gutterBottom>
        Nothing to print here
      </Typography>
      <Button variant="contained" onClick={() => navigate('agenda')}>
        Agenda
      </Button>
    </main>
  );
}

type Small = Pick<ButtonProps, 'size' | 'variant'>;

/** Agenda header: the shown day's sheet, for the chosen doctor or the whole clinic. */
export function PrintDaySheetButton({ date, doctorId, ...props }: { date: string | undefined; doctorId?: string } & Small) {
  return (
    <Button {...props} disabled={!date} onClick={() => date && openPrintView({ view: 'day-sheet', date, doctorId: doctorId || undefined })}>
      Print day sheet
    </Button>
  );
}

/** Confirmation screen and appointment history: the card to hand to the patient. */
export function PrintCardButton({ appointmentId, label, ...props }: { appointmentId: string; label?: string } & Small) {
  return (
    <Button {...props} aria-label={label ? `Print appointment card for ${label}` : undefined} onClick={() => openPrintView({ view: 'appointment-card', appointmentId })}>
      Print appointment card
    </Button>
  );
}

/** Patient record: a label for the file or a sample. */
export function PrintLabelButton({ patientId, ...props }: { patientId: string } & Small) {
  return (
    <Button {...props} onClick={() => openPrintView({ view: 'patient-label', patientId })}>
      Print label
    </Button>
  );
}
