import { useRead } from '../../api/queries.js';
import { PrintLayout } from './print-layout.js';

/**
 * A label-printer page of 89 × 36 mm (the common large address label): name on up to two
 * lines (longer names are cut, never spill onto a second label), birth date, number, phone.
 */
const css = `
@page { size: 89mm 36mm; margin: 0; }
.print-sheet.label-sheet { width: 89mm; height: 36mm; padding: 2.5mm 4mm; overflow: hidden; font-size: 9.5pt; line-height: 1.25; }
.label-sheet .name { font-size: 12pt; font-weight: 700; max-height: 2.5em; overflow: hidden; }
.label-sheet .line { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
@media screen { .print-sheet.label-sheet { zoom: 1.75; } }
@media print {
  html, body, #root { width: 89mm; height: 36mm !important; min-height: 0 !important; overflow: hidden !important; }
  .print-sheet.label-sheet { width: 89mm; height: 36mm; padding: 2.5mm 4mm; break-after: avoid; }
}
`;

export function PatientLabelView({ patientId }: { patientId: string }) {
  const label = useRead('printing/patient-label', { patientId });
  const l = label.data;
  return (
    <PrintLayout title={l ? `Label ${l.name}` : 'Patient label'} css={css} ready={!!l} error={label.error} sheetClassName="label-sheet">
      {l && (
        <div aria-label="Patient label">
          <div className="name">{l.name}</div>
          <div className="line">Born {l.dateOfBirthText} ({l.dateOfBirth})</div>
          <div className="line">Patient No. {l.patientNumber}</div>
          {l.phone && <div className="line">Tel. {l.phone}</div>}
        </div>
      )}
    </PrintLayout>
  );
}
