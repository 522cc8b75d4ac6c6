import type { DaySheetRow } from '../../../src-main/contract/index.js';
import { useRead } from '../../api/queries.js';
import { whenIn } from '../../components/format.js';
import { PrintLayout } from './print-layout.js';
import { languageName, needLabel, statusLabel } from './labels.js';

/**
 * One section per doctor, each starting on a new page; the table's header repeats on every
 * page, and the page's foot says which sheet it is and "Page n of m" (CSS page margin boxes).
 */
const css = (date: string) => `
@page { margin: 14mm 12mm 16mm;
  @bottom-left { content: "Day sheet ${/^\d{4}-\d{2}-\d{2}$/.test(date) ? date : ''}"; font: 8pt Arial, sans-serif; color: #000; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt Arial, sans-serif; color: #000; } }
.day-sheet-section + .day-sheet-section { break-before: page; margin-top: 14mm; }
@media print { .day-sheet-section + .day-sheet-section { margin-top: 0; } }
.day-sheet-head { border-bottom: 2px solid #000; padding-bottom: 2mm; margin-bottom: 3mm; }
.day-sheet-head .clinic { font-size: 9pt; }
.day-sheet-head h1 { font-size: 15pt; margin: 1mm 0; }
.day-sheet-head .meta { font-size: 9pt; }
.day-sheet table { width: 100%; border-collapse: collapse; table-layout: fixed; }
.day-sheet th, .day-sheet td { text-align: left; vertical-align: top; padding: 1.5mm 1.5mm; border-bottom: 1px solid #000; }
.day-sheet thead th { font-size: 8.5pt; text-transform: uppercase; letter-spacing: .02em; border-bottom: 1.5px solid #000; }
.day-sheet thead { display: table-header-group; }
.day-sheet tr { break-inside: avoid; }
.day-sheet .time { width: 13%; font-weight: 700; white-space: nowrap; }
.day-sheet .patient { width: 24%; }
.day-sheet .born { width: 13%; }
.day-sheet td.born { font-size: 9.5pt; }
.day-sheet .type { width: 15%; }
.day-sheet .status { width: 12%; }
.day-sheet .needs { width: 23%; }
.day-sheet .number, .day-sheet .where { font-size: 8.5pt; }
.day-sheet .flag { font-weight: 700; }
.day-sheet .empty { padding: 4mm 0; }
`;

function Needs({ r }: { r: DaySheetRow['requirements'] }) {
  const none = !r.interpreterLanguage && r.accessibility.length === 0 && !r.notes;
  if (none) return null;
  return (
    <>
      {r.interpreterLanguage && <div className="flag">Interpreter: {languageName(r.interpreterLanguage)}</div>}
      {r.accessibility.map((need) => (
        <div key={need} className="flag">
          {needLabel[need]}
        </div>
      ))}
      {r.notes && (
        <div className="pre">
          <span className="flag">Note:</span> {r.notes}
        </div>
      )}
    </>
  );
}

/** The day sheet for the whole clinic (a page per doctor) or one doctor. */
export function DaySheetView({ date, doctorId }: { date: string; doctorId?: string }) {
  const sheet = useRead('printing/day-sheet', { date, doctorId });
  const s = sheet.data;
  const printedAt = s ? whenIn(new Date().toISOString(), s.timeZone) : '';
  const sections = s ? (s.doctors.length > 0 ? s.doctors : [{ id: 'none', name: 'All doctors', rows: [] }]) : [];
  const title = `Day sheet ${date}${doctorId && s?.doctors[0] ? ` ${s.doctors[0].name}` : ''}`;
  return (
    <PrintLayout title={title} css={css(date)} ready={!!s} error={sheet.error} sheetClassName="day-sheet">
      {s &&
        sections.map((d) => (
          <section key={d.id} className="day-sheet-section" aria-label={`Day sheet for ${d.name}`}>
            <header className="day-sheet-head">
              <div className="clinic">
                {[s.clinic.name, s.clinic.address, s.clinic.phone].filter(Boolean).join(' · ')}
              </div>
              <h1>
                Day sheet — {d.name}
              </h1>
              <div className="meta">
                {s.dateText} · times in {s.timeZone} · {d.rows.length} appointment{d.rows.length === 1 ? '' : 's'} · printed {printedAt}
              </div>
            </header>
            {d.rows.length === 0 ? (
              <p className="empty">No appointments on this day.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th className="time">Time</th>
                    <th className="patient">Patient</th>
                    <th className="born">Born</th>
                    <th className="type">Type</th>
                    <th className="status">Status</th>
                    <th className="needs">Needs</th>
                  </tr>
                </thead>
                <tbody>
                  {d.rows.map((r) => (
                    <tr key={r.id}>
                      <td className="time">
                        {r.localStart}–{r.localEnd}
                      </td>
                      <td className="patient">
                        <div>{r.patientName}</div>
                        <div className="number">{r.patientNumber}</div>
                      </td>
                      <td className="born">{r.dateOfBirth}</td>
                      <td className="type">
                        <div>{r.consultationType}</div>
                        <div className="where">{r.locationName}</div>
                      </td>
                      <td className="status">{statusLabel[r.status]}</td>
                      <td className="needs">
                        <Needs r={r.requirements} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        ))}
    </PrintLayout>
  );
}
