import { useEffect, useMemo, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Step from '@mui/material/Step';
import StepButton from '@mui/material/StepButton';
import Stepper from '@mui/material/Stepper';
import Typography from '@mui/material/Typography';
import { z } from 'zod';
import { basicInfo, emergencyContact, insurance, medicalHistory } from '../../../src-main/contract/patients.contract.js';
import { formatPhone } from '../../../src-main/contract/phone.js';
import { fieldErrorsFrom } from '../../../src-main/contract/errors.js';
import { basicRuleErrors, contactRuleErrors, type ClinicRules } from '../../../src-main/contract/patient-rules.js';
import { call } from '../../api/client.js';
import { useRead } from '../../api/queries.js';
import { useSignedIn } from '../../app/signed-in.js';
import { todayIn } from '../../components/format.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';
import { navigate } from '../../app/router.js';
import {
  basicInput,
  contactInput,
  emptyDraft,
  forgetRegistration,
  historyInput,
  insuranceInput,
  keepRegistration,
  restoreRegistration,
  type RegistrationDraft,
} from './draft.js';
import { DuplicatePanel, type DuplicateMatch } from './duplicate-panel.js';
import { BasicFields, ContactFields, HistoryFields, InsuranceFields } from './patient-fields.js';
import { countryName } from '../../components/pickers.js';

const STEPS = ['Basic information', 'Medical history', 'Emergency contact', 'Insurance', 'Review'] as const;
const PREFIXES = ['basic', 'medicalHistory', 'emergencyContact', 'insurance'] as const;

/** Each step checks its own part with the contract's schema, keyed like the server's errors. */
const stepSchemas: z.ZodType[] = [
  z.object({ basic: basicInfo }),
  z.object({ medicalHistory }),
  z.object({ emergencyContact: emergencyContact.nullable() }),
  z.object({ insurance: insurance.nullable() }),
];

const stepInput = (step: number, d: RegistrationDraft): unknown =>
  [
    { basic: basicInput(d.basic) },
    { medicalHistory: historyInput(d.history) },
    { emergencyContact: contactInput(d.contact) },
    { insurance: insuranceInput(d.insurance) },
  ][step];

/** The clinic-dependent rules of a step (phone numbers in the clinic's country, no birth date after its today). */
const stepRules = (step: number, d: RegistrationDraft, clinic: ClinicRules | null): Record<string, string[]> => {
  if (!clinic) return {};
  if (step === 0) return basicRuleErrors(basicInput(d.basic), clinic);
  if (step === 2) return contactRuleErrors(contactInput(d.contact), clinic, 'emergencyContact');
  return {};
};

const FOCUSABLE = 'input:not([type="hidden"]):not([disabled]):not([aria-hidden="true"]), textarea:not([disabled]), [role="combobox"], button:not([disabled])';

/**
 * The registration stepper: Enter moves on, Back keeps everything, the review shows likely
 * duplicates. Each step's Next runs every rule the server will run on that step, so the last
 * step never sends anyone back. Leaving the screen keeps the draft; coming back restores it.
 */
export function RegisterScreen() {
  const me = useSignedIn();
  const staffId = me?.id ?? '';
  const [restored] = useState(() => restoreRegistration(staffId));
  const [draft, setDraft] = useState<RegistrationDraft>(() => restored?.draft ?? emptyDraft());
  const [step, setStep] = useState(() => restored?.step ?? 0);
  const [showRestored, setShowRestored] = useState(restored !== null);
  const [matches, setMatches] = useState<DuplicateMatch[]>([]);
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useMemo(() => crypto.randomUUID(), []);
  const form = useFieldErrors();
  const formRef = useRef<HTMLFormElement>(null);
  const settings = useRead('settings/get', {});
  const clinic: ClinicRules | null = settings.data
    ? { defaultCountry: settings.data.defaultCountry, today: todayIn(settings.data.timeZone) }
    : null;

  // The draft outlives the screen (opening a suspected duplicate, a look at the agenda).
  const registered = useRef(false);
  useEffect(() => {
    if (!registered.current) keepRegistration(staffId, draft, step);
  }, [staffId, draft, step]);

  // Focus the first field of each step (on the review, the button that registers), so Enter works.
  useEffect(() => {
    const root = formRef.current;
    if (!root) return;
    const target = step === 4 ? root.querySelector<HTMLElement>('[data-primary="true"]') : root.querySelector<HTMLElement>(FOCUSABLE);
    target?.focus();
  }, [step]);

  /** The contract's schema for the step plus the clinic's rules; errors land next to their fields. */
  const validateStep = (s: number): boolean => {
    const parsed = stepSchemas[s]!.safeParse(stepInput(s, draft));
    const errors: Record<string, string[]> = parsed.success ? {} : fieldErrorsFrom(parsed.error);
    for (const [key, messages] of Object.entries(stepRules(s, draft, clinic))) errors[key] = [...(errors[key] ?? []), ...messages];
    if (Object.keys(errors).length === 0) {
      form.clear();
      return true;
    }
    form.fromError({ code: 'validation/invalid-input', message: 'Some fields need attention.', fieldErrors: errors });
    return false;
  };

  const checkDuplicates = async () => {
    const b = basicInput(draft.basic);
    const result = await call('patient/check-duplicates', {
      givenName: b.givenName,
      familyName: b.familyName,
      dateOfBirth: b.dateOfBirth,
      phone: b.phone,
      email: b.email,
    });
    if (result.ok) setMatches(result.data.matches);
  };

  const goTo = async (target: number) => {
    // Moving forward checks every step in between; moving back never loses anything.
    for (let s = step; s < Math.min(target, 4); s++) {
      if (!validateStep(s)) {
        setStep(s);
        return;
      }
    }
    if (step === 0 && target > 0) await checkDuplicates();
    setStep(target);
  };

  const register = async (override: boolean) => {
    for (let s = 0; s < 4; s++) {
      if (!validateStep(s)) return setStep(s);
    }
    setBusy(true);
    const result = await call('patient/register', {
      basic: basicInput(draft.basic),
      medicalHistory: historyInput(draft.history),
      emergencyContact: contactInput(draft.contact),
      insurance: insuranceInput(draft.insurance),
      overrideDuplicates: override,
      idempotencyKey,
    } as Parameters<typeof call<'patient/register'>>[1]);
    setBusy(false);
    if (result.ok) {
      registered.current = true;
      forgetRegistration();
      return navigate('patients', result.data.patientId);
    }
    if (result.error.code === 'patient/possible-duplicate') {
      setMatches((result.error.details?.matches as DuplicateMatch[]) ?? []);
      return;
    }
    form.fromError(result.error);
    const first = Object.keys(result.error.fieldErrors ?? {})[0];
    const at = first ? PREFIXES.findIndex((p) => first.startsWith(`${p}.`)) : -1;
    if (at >= 0) setStep(at);
  };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (step < 4) void goTo(step + 1);
    else if (matches.length === 0) void register(false);
  };

  // Enter on a checkbox (e.g. "The patient has insurance") moves on too, as in a text field.
  const onKeyDown = (event: React.KeyboardEvent<HTMLFormElement>) => {
    const target = event.target as HTMLInputElement;
    if (event.key === 'Enter' && target.type === 'checkbox') {
      event.preventDefault();
      event.currentTarget.requestSubmit();
    }
  };

  const startOver = () => {
    forgetRegistration();
    setDraft(emptyDraft());
    setStep(0);
    setMatches([]);
    setShowRestored(false);
    form.clear();
  };

  return (
    <Box component="main">
      <Typography variant="h5" component="h1" gutterBottom>
        Register a patient
      </Typography>
      <Stepper nonLinear activeStep={step} sx={{ mb: 2 }} aria-label="Registration steps">
        {STEPS.map((label, i) => (
          <Step key={label} completed={i < step}>
            <StepButton onClick={() => void goTo(i)}>{label}</StepButton>
          </Step>
        ))}
      </Stepper>
      {showRestored && (
        <Alert
          severity="info"
          sx={{ mb: 2 }}
          onClose={() => setShowRestored(false)}
          action={
            <Button color="inherit" size="small" onClick={startOver}>
              Start over
            </Button>
          }
        >
          Restored the registration you had started{draft.basic.givenName || draft.basic.familyName ? ` (${[draft.basic.givenName, draft.basic.familyName].filter(Boolean).join(' ')})` : ''}. Nothing was lost.
        </Alert>
      )}
      {step > 0 && <DuplicatePanel matches={matches} keepsDraft />}
      <ErrorBanner error={form.banner} />
      <Paper sx={{ p: 3 }}>
        <form ref={formRef} onSubmit={submit} onKeyDown={onKeyDown} noValidate aria-label={STEPS[step]}>
          <Typography variant="h6" component="h2" gutterBottom>
            {STEPS[step]}
          </Typography>
          {step === 0 && <BasicFields value={draft.basic} onChange={(basic) => setDraft({ ...draft, basic })} errorFor={form.field} autoFocus />}
          {step === 1 && <HistoryFields value={draft.history} onChange={(history) => setDraft({ ...draft, history })} errorFor={form.field} prefix="medicalHistory" />}
          {step === 2 && <ContactFields value={draft.contact} onChange={(contact) => setDraft({ ...draft, contact })} errorFor={form.field} prefix="emergencyContact" autoFocus />}
          {step === 3 && <InsuranceFields value={draft.insurance} onChange={(ins) => setDraft({ ...draft, insurance: ins })} errorFor={form.field} prefix="insurance" />}
          {step === 4 && <Review draft={draft} />}
          <Stack direction="row" spacing={1} sx={{ mt: 3 }}>
            <Button disabled={step === 0} onClick={() => setStep(step - 1)}>
              Back
            </Button>
            <Box sx={{ flexGrow: 1 }} />
            {step < 4 && (
              <Button type="submit" variant="contained">
                Next
              </Button>
            )}
            {step === 4 && matches.length === 0 && (
              <Button type="submit" variant="contained" disabled={busy} data-primary="true">
                Register patient
              </Button>
            )}
            {step === 4 && matches.length > 0 && (
              <Button variant="contained" color="warning" disabled={busy} onClick={() => void register(true)} data-primary="true">
                Register anyway
              </Button>
            )}
          </Stack>
        </form>
      </Paper>
      <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 1 }}>
        Enter moves to the next step. Nothing is saved until “Register patient”; if you leave this screen, the form is kept until you come back.
      </Typography>
    </Box>
  );
}

function Review({ draft }: { draft: RegistrationDraft }) {
  const b = draft.basic;
  const h = draft.history;
  const line = (label: string, value: string) =>
    value ? (
      <Typography variant="body2">
        <b>{label}:</b> {value}
      </Typography>
    ) : null;
  return (
    <Stack spacing={1}>
      {line('Name', `${b.givenName} ${b.familyName}`)}
      {line('Date of birth', b.dateOfBirth)}
      {line('Phone', formatPhone(b.phone) || b.phone)}
      {line('E-mail', b.email)}
      {line('Address', [b.line1, b.line2, b.city, b.region, b.postalCode, countryName(b.country)].filter(Boolean).join(', '))}
      {line('Medications', h.medications.map((m) => [m.name, m.dose, m.frequency].filter(Boolean).join(' ')).join('; '))}
      {line('Allergies', h.allergies.map((a) => `${a.substance} (${a.severity})`).join('; '))}
      {line('Chronic conditions', h.chronicConditions.map((c) => c.name).join('; '))}
      {line('Emergency contact', draft.contact.name ? `${draft.contact.name} (${draft.contact.relationship}) ${draft.contact.phone}` : 'none')}
      {line('Insurance', draft.insurance.has ? `${draft.insurance.provider} ${draft.insurance.policyNumber}` : 'none')}
      {!b.consentEmail && !b.consentSms && <Alert severity="info">No consent to contact by e-mail or SMS: confirmations will not be sent.</Alert>}
    </Stack>
  );
}
