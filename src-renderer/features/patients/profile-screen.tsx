import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { PatientProfile, SectionName } from '../../../src-main/contract/index.js';
import { formatPhone } from '../../../src-main/contract/phone.js';
import { call } from '../../api/client.js';
import { countryName, languageName } from '../../components/pickers.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { useRead } from '../../api/queries.js';
import { useClinicZone } from '../../components/clinic-zone.js';
import { ageIn, longDate, whenIn } from '../../components/format.js';
import { useClinicLocale } from '../booking/price-breakdown.js';
import {
  basicFromProfile,
  basicInput,
  contactFromProfile,
  contactInput,
  historyFromProfile,
  historyInput,
  insuranceFromProfile,
  insuranceInput,
} from './draft.js';
import { BasicFields, ContactFields, HistoryFields, InsuranceFields } from './patient-fields.js';
import { AssignedDoctors } from '../assignment/assigned-doctors.js';
import { AppointmentHistory } from '../booking/appointment-history.js';
import { DuplicatePanel } from './duplicate-panel.js';
import { PatientAccess } from './patient-access.js';
import { navigate } from '../../app/router.js';
import { PrintLabelButton } from '../printing/print-route.js';
import { SymptomCheckSummary } from '../symptoms/symptom-check-summary.js';


type Editing = null | 'basic' | SectionName;

/** A patient's record: details, medical history, emergency contact, insurance, doctors, appointments. */
export function PatientProfileScreen({ patientId }: { patientId: string }) {
  const profile = useRead('patient/get', { patientId });
  const [editing, setEditing] = useState<Editing>(null);
  const [historyOf, setHistoryOf] = useState<SectionName | null>(null);
  const zone = useClinicZone();
  const locale = useClinicLocale();
  const p = profile.data;

  if (!p) return <ErrorBanner error={profile.error} />;
  const done = () => {
    setEditing(null);
    profile.reload();
  };
  const b = p.basic;
  return (
    <Box component="main">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'baseline', mb: 2 }}>
        <Typography variant="h5" component="h1">
          {b.givenName} {b.familyName}
        </Typography>
        <Chip label={p.number} size="small" />
        <Typography color="text.secondary">
          born {longDate(b.dateOfBirth, locale)}{zone ? ` (${ageIn(b.dateOfBirth, zone)} y)` : ''}
        </Typography>
        <PrintLabelButton patientId={p.id} size="small" />
      </Stack>
      {p.duplicateReview && (
        <Box sx={{ mb: 2 }}>
          <DuplicatePanel matches={p.duplicateReview} title="Registered at a kiosk or online: this may be the same person as" />
          <Button
            size="small"
            variant="outlined"
            onClick={async () => {
              const result = await call('patient/resolve-duplicate-review', { patientId: p.id });
              if (result.ok) profile.reload();
            }}
          >
            Not a duplicate — keep both records
          </Button>
        </Box>
      )}
      {p.duplicateOverride && (
        <Alert severity="info" sx={{ mb: 2 }}>
          Registered despite a duplicate warning by {p.duplicateOverride.by ?? 'the patient'} on {zone ? whenIn(p.duplicateOverride.at, zone, locale) : ''}.
        </Alert>
      )}
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 6 }}>
          <Section title="Details" onEdit={() => setEditing('basic')} editing={editing === 'basic'}>
            {editing === 'basic' ? (
              <BasicEditor profile={p} onDone={done} onCancel={() => setEditing(null)} />
            ) : (
              <>
                <Field label="Phone" value={formatPhone(b.phone)} />
                <Field label="E-mail" value={b.email} />
                <Field label="Address" value={[b.address.line1, b.address.line2, b.address.city, b.address.region, b.address.postalCode, countryName(b.address.country)].filter(Boolean).join(', ')} />
                <Field label="Sex / gender" value={[b.sex, b.gender].filter(Boolean).join(' / ')} />
                <Field label="Language" value={languageName(b.preferredLanguage)} />
                <Field label="Contact consent" value={[b.consentEmail && 'e-mail', b.consentSms && 'SMS'].filter(Boolean).join(', ') || 'none'} />
              </>
            )}
          </Section>
          <Section title="Emergency contact" meta={p.emergencyContact.meta} onEdit={() => setEditing('emergency_contact')} onHistory={() => setHistoryOf('emergency_contact')} editing={editing === 'emergency_contact'}>
            {editing === 'emergency_contact' ? (
              <SectionEditor patientId={p.id} section="emergency_contact" version={p.emergencyContact.meta?.version ?? 0} initial={contactFromProfile(p.emergencyContact.data)} Fields={ContactFields} toInput={contactInput} onDone={done} onCancel={() => setEditing(null)} />
            ) : p.emergencyContact.data ? (
              <Field label={p.emergencyContact.data.relationship} value={`${p.emergencyContact.data.name} · ${formatPhone(p.emergencyContact.data.phone)}`} />
            ) : (
              <Typography color="text.secondary">None recorded.</Typography>
            )}
          </Section>
          <Section title="Insurance" meta={p.insurance.meta} onEdit={() => setEditing('insurance')} onHistory={() => setHistoryOf('insurance')} editing={editing === 'insurance'}>
            {editing === 'insurance' ? (
              <SectionEditor patientId={p.id} section="insurance" version={p.insurance.meta?.version ?? 0} initial={insuranceFromProfile(p.insurance.data)} Fields={InsuranceFields} toInput={insuranceInput} onDone={done} onCancel={() => setEditing(null)} />
            ) : p.insurance.data ? (
              <>
                <Field label="Provider" value={p.insurance.data.provider} />
                <Field label="Policy" value={[p.insurance.data.policyNumber, p.insurance.data.groupNumber && `group ${p.insurance.data.groupNumber}`].filter(Boolean).join(', ')} />
                <Field label="Holder" value={p.insurance.data.holderName} />
                <Field label="Valid" value={[p.insurance.data.validFrom, p.insurance.data.validTo].filter((d): d is string => Boolean(d)).map((d) => longDate(d, locale)).join(' → ')} />
              </>
            ) : (
              <Typography color="text.secondary">No insurance.</Typography>
            )}
          </Section>
          <Section title="Online access">
            <PatientAccess patientId={p.id} patientName={`${b.givenName} ${b.familyName}`} />
          </Section>
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <Section title="Medical history" meta={p.medicalHistory.meta} onEdit={() => setEditing('medical_history')} onHistory={() => setHistoryOf('medical_history')} editing={editing === 'medical_history'}>
            {editing === 'medical_history' ? (
              <SectionEditor patientId={p.id} section="medical_history" version={p.medicalHistory.meta?.version ?? 0} initial={historyFromProfile(p.medicalHistory.data)} Fields={HistoryFields} toInput={historyInput} onDone={done} onCancel={() => setEditing(null)} />
            ) : (
              <HistorySummary profile={p} />
            )}
          </Section>
          <Section
            title="Symptom check"
            meta={p.symptomCheck.meta}
            onHistory={p.symptomCheck.meta ? () => setHistoryOf('symptom_check') : undefined}
            action={<Button size="small" variant="outlined" onClick={() => navigate('symptoms', p.id)}>Check symptoms</Button>}
          >
            <SymptomCheckSummary check={p.symptomCheck.data} />
          </Section>
          <Section title="Assigned doctors">
            <AssignedDoctors patientId={p.id} />
          </Section>
          <Section
            title="Appointments"
            action={
              <Button size="small" variant="contained" onClick={() => navigate('book', p.id)} title="Alt+B">
                Book appointment
              </Button>
            }
          >
            <AppointmentHistory patientId={p.id} />
          </Section>
        </Grid>
      </Grid>
      <HistoryDialog patientId={p.id} section={historyOf} onClose={() => setHistoryOf(null)} />
    </Box>
  );
}

function Section({
  title,
  meta,
  onEdit,
  onHistory,
  editing,
  action,
  children,
}: {
  title: string;
  meta?: { updatedAt: string; updatedBy: string | null } | null;
  onEdit?: () => void;
  onHistory?: () => void;
  editing?: boolean;
  action?: React.ReactNode;
  children: React.ReactNode;
}) {
  const zone = useClinicZone();
  const locale = useClinicLocale();
  return (
    <Card variant="outlined" sx={{ mb: 2 }} component="section" aria-label={title}>
      <CardContent>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
          <Typography variant="h6" component="h2" sx={{ flexGrow: 1 }}>
            {title}
          </Typography>
          {action}
          {onHistory && (
            <Button size="small" onClick={onHistory}>
              History
            </Button>
          )}
          {onEdit && !editing && (
            <Button size="small" onClick={onEdit} aria-label={`Edit ${title.toLowerCase()}`}>
              Edit
            </Button>
          )}
        </Stack>
        {children}
        {meta && (
          <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 1 }}>
            Last changed {zone ? whenIn(meta.updatedAt, zone, locale) : ''} by {meta.updatedBy ?? 'the patient'}
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}

const Field = ({ label, value }: { label: string; value: string }) => (
  <Typography variant="body2">
    <Box component="span" sx={{ color: 'text.secondary', mr: 1 }}>
      {label}:
    </Box>
    {value || '—'}
  </Typography>
);

function HistorySummary({ profile }: { profile: PatientProfile }) {
  const h = profile.medicalHistory.data;
  return (
    <>
      <Field label="Allergies" value={h.allergies.map((a) => `${a.substance} (${a.severity.replace('_', '-')}${a.reaction ? `: ${a.reaction}` : ''})`).join('; ')} />
      <Field label="Medications" value={h.medications.map((m) => [m.name, m.dose, m.frequency].filter(Boolean).join(' ')).join('; ')} />
      <Field label="Chronic conditions" value={h.chronicConditions.map((c) => c.name).join('; ')} />
      <Field label="Previous consultations" value={h.previousConsultations.map((c) => `${c.date} ${c.clinicOrDoctor} ${c.reason}`.trim()).join('; ')} />
      <Field label="Family history" value={h.familyHistory.map((f) => `${f.relative}: ${f.condition}`).join('; ')} />
    </>
  );
}

function BasicEditor({ profile, onDone, onCancel }: { profile: PatientProfile; onDone: () => void; onCancel: () => void }) {
  const [value, setValue] = useState(() => basicFromProfile(profile));
  const form = useFieldErrors();
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const result = await call('patient/update-basic', {
      patientId: profile.id,
      expectedVersion: profile.version,
      basic: basicInput(value) as never,
    });
    if (result.ok) onDone();
    else form.fromError(result.error);
  };
  return (
    <form onSubmit={save} noValidate aria-label="Edit details">
      <ErrorBanner error={form.banner} />
      <BasicFields value={value} onChange={setValue} errorFor={form.field} autoFocus />
      <EditorButtons onCancel={onCancel} />
    </form>
  );
}

const updateHandler = {
  medical_history: 'patient/update-medical-history',
  emergency_contact: 'patient/update-emergency-contact',
  insurance: 'patient/update-insurance',
} as const;

function SectionEditor<D>({
  patientId,
  section,
  version,
  initial,
  Fields,
  toInput,
  onDone,
  onCancel,
}: {
  patientId: string;
  section: Exclude<SectionName, 'symptom_check'>;
  version: number;
  initial: D;
  Fields: (props: { value: D; onChange: (v: D) => void; errorFor: ReturnType<typeof useFieldErrors>['field']; prefix: string }) => React.ReactNode;
  toInput: (d: D) => unknown;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(initial);
  const form = useFieldErrors();
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const result = await call(updateHandler[section], { patientId, expectedVersion: version, data: toInput(value) as never });
    if (result.ok) onDone();
    else form.fromError(result.error);
  };
  return (
    <form onSubmit={save} noValidate aria-label={`Edit ${section.replace('_', ' ')}`}>
      <ErrorBanner error={form.banner} />
      <Fields value={value} onChange={setValue} errorFor={form.field} prefix="data" />
      <EditorButtons onCancel={onCancel} />
    </form>
  );
}

const EditorButtons = ({ onCancel }: { onCancel: () => void }) => (
  <Stack direction="row" spacing={1} sx={{ mt: 2 }}>
    <Button type="submit" variant="contained">
      Save
    </Button>
    <Button onClick={onCancel}>Cancel</Button>
  </Stack>
);

function HistoryDialog({ patientId, section, onClose }: { patientId: string; section: SectionName | null; onClose: () => void }) {
  const history = useRead('patient/section-history', section ? { patientId, section } : null);
  const zone = useClinicZone();
  const locale = useClinicLocale();
  return (
    <Dialog open={section !== null} onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>Change history — {section?.replace('_', ' ')}</DialogTitle>
      <DialogContent>
        <ErrorBanner error={history.error} />
        {history.data?.changes.map((c) => (
          <Box key={c.version} sx={{ mb: 2 }}>
            <Typography variant="subtitle2">
              Version {c.version} · {zone ? whenIn(c.changedAt, zone, locale) : ''} · {c.changedBy ?? 'unknown'}
            </Typography>
            <Box component="pre" sx={{ fontSize: 12, whiteSpace: 'pre-wrap', bgcolor: 'grey.100', p: 1, m: 0 }}>
              {JSON.stringify(c.data, null, 2)}
            </Box>
          </Box>
        ))}
      </DialogContent>
    </Dialog>
  );
}
