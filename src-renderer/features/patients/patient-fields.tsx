import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Grid from '@mui/material/Grid';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { BasicDraft, ContactDraft, HistoryDraft, InsuranceDraft } from './draft.js';
import { ListEditor } from './list-editor.js';
import { Advanced } from '../../components/advanced.js';
import { CountryPicker, LanguagePicker } from '../../components/pickers.js';

type ErrorFor = (key: string) => { error: boolean; helperText?: string };

const SEVERITIES = [
  { value: 'unknown', label: 'Unknown' },
  { value: 'mild', label: 'Mild' },
  { value: 'moderate', label: 'Moderate' },
  { value: 'severe', label: 'Severe' },
  { value: 'life_threatening', label: 'Life-threatening' },
];

export function BasicFields({ value, onChange, errorFor, autoFocus }: { value: BasicDraft; onChange: (v: BasicDraft) => void; errorFor: ErrorFor; autoFocus?: boolean }) {
  const set = (key: keyof BasicDraft) => (e: React.ChangeEvent<HTMLInputElement>) => onChange({ ...value, [key]: e.target.value });
  const f = (key: keyof BasicDraft, label: string, span = 6, extra: Record<string, unknown> = {}, errorKey: string = key) => (
    <Grid size={{ xs: 12, sm: span }}>
      <TextField label={label} value={value[key] as string} onChange={set(key)} {...errorFor(`basic.${errorKey}`)} {...extra} />
    </Grid>
  );
  return (
    <Grid container spacing={2}>
      {f('givenName', 'Given name', 6, { autoFocus })}
      {f('familyName', 'Family name')}
      {f('dateOfBirth', 'Date of birth', 4, { type: 'date', slotProps: { inputLabel: { shrink: true } } })}
      <Grid size={{ xs: 12, sm: 4 }}>
        <TextField select label="Sex" value={value.sex} onChange={set('sex')} {...errorFor('basic.sex')}>
          <MenuItem value="female">Female</MenuItem>
          <MenuItem value="male">Male</MenuItem>
          <MenuItem value="intersex">Intersex</MenuItem>
          <MenuItem value="unknown">Not stated</MenuItem>
        </TextField>
      </Grid>
      {f('gender', 'Gender identity (optional)', 4)}
      {f('phone', 'Phone', 6, { type: 'tel', autoComplete: 'off' })}
      {f('email', 'E-mail (optional)', 6, { type: 'email' })}
      {f('line1', 'Address', 8, {}, 'address.line1')}
      {f('line2', 'Address line 2', 4, {}, 'address.line2')}
      {f('city', 'City', 4, {}, 'address.city')}
      {f('region', 'State / region', 3, {}, 'address.region')}
      {f('postalCode', 'Postal code', 2, {}, 'address.postalCode')}
      <Grid size={{ xs: 12, sm: 3 }}>
        <CountryPicker label="Country" optional value={value.country} onChange={(country) => onChange({ ...value, country })} {...errorFor('basic.address.country')} />
      </Grid>
      <Grid size={{ xs: 12, sm: 6 }}>
        <LanguagePicker label="Preferred language" value={value.preferredLanguage} onChange={(preferredLanguage) => onChange({ ...value, preferredLanguage })} {...errorFor('basic.preferredLanguage')} />
      </Grid>
      <Grid size={{ xs: 12 }}>
        <Advanced open={!!(value.latitude || value.longitude || errorFor('basic.address.latitude').error || errorFor('basic.address.longitude').error)}>
          <Grid container spacing={2}>
            {f('latitude', 'Latitude (optional)', 3, {}, 'address.latitude')}
            {f('longitude', 'Longitude (optional)', 3, {}, 'address.longitude')}
            <Grid size={{ xs: 12, sm: 6 }}>
              <Typography variant="body2" color="text.secondary">
                Map position of the home address, used to suggest a nearby doctor. Leave empty if you do not know it.
              </Typography>
            </Grid>
          </Grid>
        </Advanced>
      </Grid>
      <Grid size={{ xs: 12 }}>
        <FormControlLabel
          control={<Checkbox checked={value.consentEmail} onChange={(e) => onChange({ ...value, consentEmail: e.target.checked })} />}
          label="May contact by e-mail"
        />
        <FormControlLabel
          control={<Checkbox checked={value.consentSms} onChange={(e) => onChange({ ...value, consentSms: e.target.checked })} />}
          label="May contact by SMS"
        />
      </Grid>
    </Grid>
  );
}

export function HistoryFields({ value, onChange, errorFor, prefix }: { value: HistoryDraft; onChange: (v: HistoryDraft) => void; errorFor: ErrorFor; prefix: string }) {
  const list = (key: keyof HistoryDraft) => ({
    rows: value[key],
    onChange: (rows: HistoryDraft[typeof key]) => onChange({ ...value, [key]: rows }),
    errorFor,
    path: `${prefix}.${key}`,
  });
  return (
    <>
      <ListEditor
        title="Current medications"
        addLabel="Add medication"
        columns={[
          { key: 'name', label: 'Medication' },
          { key: 'dose', label: 'Dose', width: 140 },
          { key: 'frequency', label: 'Frequency', width: 180 },
        ]}
        {...list('medications')}
      />
      <ListEditor
        title="Allergies"
        addLabel="Add allergy"
        columns={[
          { key: 'substance', label: 'Substance' },
          { key: 'reaction', label: 'Reaction' },
          { key: 'severity', label: 'Severity', width: 170, options: SEVERITIES },
        ]}
        {...list('allergies')}
      />
      <ListEditor
        title="Chronic conditions"
        addLabel="Add condition"
        columns={[
          { key: 'name', label: 'Condition' },
          { key: 'notes', label: 'Notes' },
        ]}
        {...list('chronicConditions')}
      />
      <ListEditor
        title="Previous consultations"
        addLabel="Add consultation"
        columns={[
          { key: 'date', label: 'Date', type: 'date', width: 170 },
          { key: 'clinicOrDoctor', label: 'Clinic or doctor' },
          { key: 'reason', label: 'Reason' },
          { key: 'notes', label: 'Notes' },
        ]}
        {...list('previousConsultations')}
      />
      <ListEditor
        title="Family medical history"
        addLabel="Add family history"
        columns={[
          { key: 'relative', label: 'Relative', width: 200 },
          { key: 'condition', label: 'Condition' },
        ]}
        {...list('familyHistory')}
      />
    </>
  );
}

export function ContactFields({ value, onChange, errorFor, prefix, autoFocus }: { value: ContactDraft; onChange: (v: ContactDraft) => void; errorFor: ErrorFor; prefix: string; autoFocus?: boolean }) {
  const set = (key: keyof ContactDraft) => (e: React.ChangeEvent<HTMLInputElement>) => onChange({ ...value, [key]: e.target.value });
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 12, sm: 5 }}>
        <TextField label="Contact name" value={value.name} onChange={set('name')} autoFocus={autoFocus} {...errorFor(`${prefix}.name`)} />
      </Grid>
      <Grid size={{ xs: 12, sm: 3 }}>
        <TextField label="Relationship" value={value.relationship} onChange={set('relationship')} {...errorFor(`${prefix}.relationship`)} />
      </Grid>
      <Grid size={{ xs: 12, sm: 4 }}>
        <TextField label="Contact phone" type="tel" value={value.phone} onChange={set('phone')} {...errorFor(`${prefix}.phone`)} />
      </Grid>
      <Grid size={{ xs: 12 }}>
        <Typography variant="body2" color="text.secondary">
          Leave all three empty if the patient has no emergency contact.
        </Typography>
      </Grid>
    </Grid>
  );
}

export function InsuranceFields({ value, onChange, errorFor, prefix }: { value: InsuranceDraft; onChange: (v: InsuranceDraft) => void; errorFor: ErrorFor; prefix: string }) {
  const set = (key: keyof InsuranceDraft) => (e: React.ChangeEvent<HTMLInputElement>) => onChange({ ...value, [key]: e.target.value });
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 12 }}>
        <FormControlLabel
          control={<Checkbox checked={value.has} onChange={(e) => onChange({ ...value, has: e.target.checked })} autoFocus />}
          label="The patient has insurance"
        />
      </Grid>
      {value.has && (
        <>
          <Grid size={{ xs: 12, sm: 6 }}>
            <TextField label="Insurance provider" value={value.provider} onChange={set('provider')} {...errorFor(`${prefix}.provider`)} />
          </Grid>
          <Grid size={{ xs: 12, sm: 6 }}>
            <TextField label="Policy / member number" value={value.policyNumber} onChange={set('policyNumber')} {...errorFor(`${prefix}.policyNumber`)} />
          </Grid>
          <Grid size={{ xs: 12, sm: 6 }}>
            <TextField label="Group number (optional)" value={value.groupNumber} onChange={set('groupNumber')} {...errorFor(`${prefix}.groupNumber`)} />
          </Grid>
          <Grid size={{ xs: 12, sm: 6 }}>
            <TextField label="Policy holder" value={value.holderName} onChange={set('holderName')} {...errorFor(`${prefix}.holderName`)} />
          </Grid>
          <Grid size={{ xs: 12, sm: 6 }}>
            <TextField label="Valid from" type="date" value={value.validFrom} onChange={set('validFrom')} slotProps={{ inputLabel: { shrink: true } }} {...errorFor(`${prefix}.validFrom`)} />
          </Grid>
          <Grid size={{ xs: 12, sm: 6 }}>
            <TextField label="Valid to" type="date" value={value.validTo} onChange={set('validTo')} slotProps={{ inputLabel: { shrink: true } }} {...errorFor(`${prefix}.validTo`)} />
          </Grid>
        </>
      )}
    </Grid>
  );
}
