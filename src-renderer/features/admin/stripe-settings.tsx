import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Divider from '@mui/material/Divider';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { contract, type OutputOf, type SecretName, type SecretStatus, type StripeReader } from '../../../src-main/contract/index.js';
import { secretEnvironment } from '../../../src-main/contract/secrets.contract.js';
import { stripeReader } from '../../../src-main/contract/settings.contract.js';
import { stripeCurrencyProblem } from '../../../src-main/contract/stripe-currency.js';
import { localeForCountry } from '../../../src-main/contract/money.js';
import { call } from '../../api/client.js';
import { useRead } from '../../api/queries.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useFieldErrors } from '../../components/form.js';

const STRIPE_SECRETS: Array<{ name: SecretName; field: string; what: string; placeholder: string }> = [
  { name: 'stripe.secretKey', field: 'secret key', what: 'From Stripe’s dashboard → Developers → API keys (sk_live_… or sk_test_…, or a restricted rk_ key).', placeholder: 'sk_live_…' },
  { name: 'stripe.webhookSecret', field: 'signing secret', what: 'Only for a server Stripe can reach: the signing secret of its webhook endpoint (whsec_…).', placeholder: 'whsec_…' },
];

/** When a secret was saved, in the clinic's zone and locale. */
type When = (iso: string) => string;

/** Settings → Stripe: secrets (never shown), card readers, the currency check and a connection test. */
export function StripeSettings() {
  const settings = useRead('settings/get', {});
  const secrets = useRead('secrets/status', {});
  const currency = settings.data?.currency ?? null;
  const currencyProblem = currency ? stripeCurrencyProblem(currency) : null;
  const when: When = (iso) =>
    settings.data
      ? new Date(iso).toLocaleString(localeForCountry(settings.data.defaultCountry), { timeZone: settings.data.timeZone, dateStyle: 'medium', timeStyle: 'short' })
      : iso;
  return (
    <Paper sx={{ p: 2, maxWidth: 720, mt: 2 }} component="section" aria-labelledby="stripe-settings-title">
      <Typography variant="h6" component="h2" id="stripe-settings-title" gutterBottom>
        Stripe payments
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        Card payments on a Stripe Terminal reader, or a Stripe payment page for the patient. Card numbers never pass through Clinic Desk.
      </Typography>
      <ErrorBanner error={settings.error ?? secrets.error} />
      {currency &&
        (currencyProblem ? (
          <Alert severity="warning" sx={{ mb: 2 }}>
            {currencyProblem}
          </Alert>
        ) : (
          <Alert severity="success" sx={{ mb: 2 }}>
            Stripe can take payments in {currency}, the clinic’s currency.
          </Alert>
        ))}
      {secrets.data && secrets.data.storage === 'none' && (
        <Alert severity="info" sx={{ mb: 2 }}>
          This desk has no safe place to keep secrets. Give them through the environment instead ({Object.values(secretEnvironment).join(', ')}).
        </Alert>
      )}
      <Stack spacing={2} divider={<Divider flexItem />}>
        {STRIPE_SECRETS.map((s) => (
          <SecretRow
            key={s.name}
            name={s.name}
            field={s.field}
            when={when}
            what={s.what}
            placeholder={s.placeholder}
            status={secrets.data?.secrets.find((x) => x.name === s.name) ?? null}
            canStore={secrets.data?.storage !== 'none'}
            onChanged={secrets.reload}
          />
        ))}
        {settings.data && <Readers readers={settings.data.stripeReaders} onChanged={settings.reload} />}
        <ConnectionTest />
      </Stack>
    </Paper>
  );
}

function describeSecret(status: SecretStatus | null, when: When): string {
  if (!status || !status.set) return 'Not set.';
  if (status.source === 'environment') {
    return `Set by the environment (${secretEnvironment[status.name] ?? 'a variable'}), ending ${status.hint}. It wins over a value stored here.`;
  }
  const saved = status.updatedAt ? `, saved ${when(status.updatedAt)}` : '';
  return `Set, ending ${status.hint}${saved}. Stored encrypted on this desk.`;
}

function SecretRow(props: { name: SecretName; field: string; when: When; what: string; placeholder: string; status: SecretStatus | null; canStore: boolean; onChanged: () => void }) {
  const [value, setValue] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const form = useFieldErrors();
  const label = props.status?.label ?? props.name;
  const save = async (clear: boolean) => {
    setDone(null);
    const input = form.check(contract['secrets/set'].input, { name: props.name, value: clear ? null : value });
    if (!input) return;
    const result = await call('secrets/set', input);
    if (!result.ok) return form.fromError(result.error);
    setValue('');
    setDone(clear ? `${label} cleared.` : `${label} saved (ending ${result.data.hint}).`);
    props.onChanged();
  };
  const fieldId = `secret-${props.name.replace('.', '-')}`;
  return (
    <Box component="form" aria-label={label} noValidate onSubmit={(e: React.FormEvent) => (e.preventDefault(), void save(false))}>
      <Typography variant="subtitle2" component="h3">
        {label}
      </Typography>
      <Typography variant="body2" data-testid={`${fieldId}-status`}>
        {describeSecret(props.status, props.when)}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {props.what}
      </Typography>
      <ErrorBanner error={form.banner} />
      {done && (
        <Alert severity="success" sx={{ mb: 1 }}>
          {done}
        </Alert>
      )}
      {props.canStore && (
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'flex-start' } }}>
          <TextField
            id={fieldId}
            label={props.status?.set ? `New ${props.field}` : `Paste the ${props.field}`}
            type="password"
            autoComplete="off"
            size="small"
            value={value}
            placeholder={props.placeholder}
            onChange={(e) => setValue(e.target.value)}
            sx={{ flex: 1, minWidth: 0 }}
            slotProps={{ htmlInput: { spellCheck: false, 'data-lpignore': 'true' } }}
            {...form.field('value')}
          />
          <Button type="submit" variant="outlined" disabled={value.trim() === ''}>
            Save
          </Button>
          {props.status?.source === 'stored' && (
            <Button color="warning" onClick={() => void save(true)}>
              Clear
            </Button>
          )}
        </Stack>
      )}
    </Box>
  );
}

function Readers({ readers, onChanged }: { readers: StripeReader[]; onChanged: () => void }) {
  const [id, setId] = useState('');
  const [label, setLabel] = useState('');
  const form = useFieldErrors();
  const saveList = async (next: StripeReader[]): Promise<boolean> => {
    const result = await call('settings/update', { stripeReaders: next });
    if (!result.ok) {
      // Field errors name the list position (stripeReaders.2.id); the form shows them on its own fields.
      const fieldErrors = Object.fromEntries(Object.entries(result.error.fieldErrors ?? {}).map(([k, v]) => [k.replace(/^stripeReaders\.\d+\./, ''), v]));
      form.fromError({ ...result.error, fieldErrors: Object.keys(fieldErrors).length > 0 ? fieldErrors : undefined });
      return false;
    }
    onChanged();
    return true;
  };
  const add = async (event: React.FormEvent) => {
    event.preventDefault();
    const reader = form.check(stripeReader, { id, label });
    if (!reader) return;
    if (readers.some((r) => r.id === reader.id)) {
      form.fromError({ code: 'validation/invalid-input', message: 'Some fields need attention.', fieldErrors: { id: ['This reader is already listed.'] } });
      return;
    }
    if (await saveList([...readers, reader])) {
      setId('');
      setLabel('');
    }
  };
  return (
    <Box>
      <Typography variant="subtitle2" component="h3">
        Card readers (Stripe Terminal)
      </Typography>
      <Typography variant="body2" color="text.secondary">
        The desk sends a payment to the chosen reader; the patient taps or inserts the card there.
      </Typography>
      {readers.length === 0 ? (
        <Typography variant="body2" sx={{ my: 1 }}>
          No readers yet.
        </Typography>
      ) : (
        <List dense aria-label="Card readers">
          {readers.map((r) => (
            <ListItem
              key={r.id}
              disableGutters
              secondaryAction={
                <Button size="small" aria-label={`Remove ${r.label}`} onClick={() => void saveList(readers.filter((x) => x.id !== r.id))}>
                  Remove
                </Button>
              }
            >
              <ListItemText primary={r.label} secondary={r.id} slotProps={{ secondary: { sx: { fontFamily: 'monospace' } } }} />
            </ListItem>
          ))}
        </List>
      )}
      <ErrorBanner error={form.banner} />
      <Box component="form" aria-label="Add a card reader" noValidate onSubmit={add}>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'flex-start' } }}>
          <TextField label="Reader id" placeholder="tmr_…" size="small" value={id} onChange={(e) => setId(e.target.value)} sx={{ flex: 1, minWidth: 0 }} {...form.field('id')} />
          <TextField label="Reader name" placeholder="Front desk" size="small" value={label} onChange={(e) => setLabel(e.target.value)} sx={{ flex: 1, minWidth: 0 }} {...form.field('label')} />
          <Button type="submit" variant="outlined">
            Add reader
          </Button>
        </Stack>
      </Box>
    </Box>
  );
}

function ConnectionTest() {
  const [running, setRunning] = useState(false);
  const [answer, setAnswer] = useState<OutputOf<'payments/stripe-test'> | null>(null);
  const form = useFieldErrors();
  const test = async () => {
    setRunning(true);
    setAnswer(null);
    form.clear();
    const result = await call('payments/stripe-test', {});
    setRunning(false);
    if (!result.ok) return form.fromError(result.error);
    setAnswer(result.data);
  };
  return (
    <Box>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
        <Button variant="contained" onClick={() => void test()} disabled={running}>
          {running ? 'Testing…' : 'Test connection'}
        </Button>
        {answer?.ok && answer.mode && answer.mode !== 'unknown' && (
          <Chip size="small" color={answer.mode === 'live' ? 'success' : 'warning'} label={answer.mode === 'live' ? 'Live mode: real payments' : 'Test mode: no real money'} />
        )}
      </Stack>
      <ErrorBanner error={form.banner} />
      {answer && (
        <Alert severity={answer.ok ? 'success' : 'error'} role="status">
          {answer.message}
        </Alert>
      )}
    </Box>
  );
}
