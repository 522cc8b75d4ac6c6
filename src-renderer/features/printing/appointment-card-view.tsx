import { useRead } from '../../api/queries.js';
import { PrintLayout } from './print-layout.js';
import { languageName, needLabel } from './labels.js';

/** A card-sized block at the top of the page (A4 or Letter), with a cut line around it. */
const css = `
@page { margin: 12mm; }
.card { border: 1.5px dashed #000; padding: 7mm 8mm; max-width: 150mm; box-sizing: border-box; }
.card .clinic h1 { font-size: 15pt; }
.card .clinic p { font-size: 9.5pt; }
.card .for { margin-top: 4mm; font-size: 10pt; }
.card .when { margin: 2mm 0 3mm; }
.card .when .date { font-size: 15pt; font-weight: 700; }
.card .when .time { font-size: 13pt; font-weight: 700; }
.card .cancelled { font-size: 13pt; font-weight: 700; border: 2px solid #000; padding: 2mm; margin: 2mm 0; }
.card dl { display: grid; grid-template-columns: 28mm 1fr; gap: 1mm 3mm; margin: 0 0 3mm; }
.card dt { font-weight: 700; }
.card dd { margin: 0; }
.card h2 { font-size: 10.5pt; margin-top: 2mm; }
.card ul { margin: 1mm 0 2mm; padding-left: 5mm; }
.card .cancel { font-size: 9.5pt; border-top: 1px solid #000; padding-top: 2mm; margin-top: 2mm; }
`;

/** The patient's appointment card: clinic, when in words in the location's zone, with whom, where, what to bring, how to cancel. */
export function AppointmentCardView({ appointmentId }: { appointmentId: string }) {
  const card = useRead('printing/appointment-card', { appointmentId });
  const c = card.data;
  const r = c?.requirements;
  return (
    <PrintLayout title={c ? `Appointment card ${c.patientName}` : 'Appointment card'} css={css} ready={!!c} error={card.error}>
      {c && r && (
        <article className="card" aria-label="Appointment card">
          <div className="clinic">
            <h1>{c.clinic.name}</h1>
            {c.clinic.address && <p>{c.clinic.address}</p>}
            {c.clinic.phone && <p>Telephone {c.clinic.phone}</p>}
          </div>
          <p className="for">Appointment for {c.patientName}</p>
          {c.status === 'cancelled' && <p className="cancelled">This appointment has been cancelled.</p>}
          <div className="when">
            <div className="date">{c.dateText}</div>
            <div className="time">{c.timeText}</div>
          </div>
          <dl>
            <dt>With</dt>
            <dd>{c.doctorName}</dd>
            <dt>For</dt>
            <dd>{c.consultationType}</dd>
            <dt>Where</dt>
            <dd>
              {c.locationName}
              {c.locationAddress && `, ${c.locationAddress}`}
            </dd>
            <dt>Time zone</dt>
            <dd>{c.timeZone}</dd>
          </dl>
          <h2>Please bring</h2>
          <ul>
            <li>This card, photo ID and your insurance card</li>
            <li>Letters, test results and a list of the medicines you take</li>
            <li>Please arrive 10 minutes early</li>
          </ul>
          {(r.interpreterLanguage || r.accessibility.length > 0) && (
            <>
              <h2>Arranged for you</h2>
              <ul>
                {r.interpreterLanguage && <li>An interpreter: {languageName(r.interpreterLanguage)}</li>}
                {r.accessibility.map((need) => (
                  <li key={need}>{needLabel[need]}</li>
                ))}
              </ul>
            </>
          )}
          <p className="cancel">{c.cancelText}</p>
        </article>
      )}
    </PrintLayout>
  );
}
