import { useState } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { ChecklistStep } from '../../../src-main/contract/setup.contract.js';
import { useRead } from '../../api/queries.js';
import { navigate } from '../../app/router.js';

const DISMISSED_KEY = 'clinic-desk.setup-checklist-dismissed';
/** Set once this desk has shown the checklist unfinished: only then is "set up" news worth a banner. */
const SEEN_KEY = 'clinic-desk.setup-checklist-seen';

const STEPS: Record<ChecklistStep, { title: string; todo: string; link: string; route: string[]; done: (n: number) => string }> = {
  location: {
    title: 'Add a location',
    todo: 'Where the clinic sees patients: name, address and time zone.',
    link: 'Open locations',
    route: ['roster', 'locations'],
    done: (n) => (n === 1 ? '1 location' : `${n} locations`),
  },
  specialization: {
    title: 'Add a specialization',
    todo: 'For example General practice: doctors and consultation types are grouped by it.',
    link: 'Open specializations',
    route: ['roster', 'specializations'],
    done: (n) => (n === 1 ? '1 specialization' : `${n} specializations`),
  },
  consultationType: {
    title: 'Add a consultation type',
    todo: 'What patients book: its length, price and the specializations that offer it.',
    link: 'Open consultation types',
    route: ['roster', 'types'],
    done: (n) => (n === 1 ? '1 consultation type' : `${n} consultation types`),
  },
  doctor: {
    title: 'Add a doctor',
    todo: 'With their specializations and slot length.',
    link: 'Open doctors',
    route: ['roster', 'doctors'],
    done: (n) => (n === 1 ? '1 doctor' : `${n} doctors`),
  },
  hours: {
    title: 'Set weekly hours',
    todo: 'Open a doctor and give them hours at a location: bookings need free time.',
    link: 'Open doctors',
    route: ['roster', 'doctors'],
    done: (n) => (n === 1 ? '1 doctor has hours' : `${n} doctors have hours`),
  },
  booking: {
    title: 'Make the first booking',
    todo: 'Register a patient (Alt+N) and book them in (Alt+B).',
    link: 'Book an appointment',
    route: ['book'],
    done: (n) => (n === 1 ? '1 appointment' : `${n} appointments`),
  },
};

const flag = (key: string) => {
  try {
    return window.localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
};
const setFlag = (key: string) => {
  try {
    window.localStorage.setItem(key, '1');
  } catch {
    // private mode: remembered for this visit only
  }
};
const dismissed = () => flag(DISMISSED_KEY);

/**
 * What a new clinic's admin does first, in order, each ticked from the clinic's real data and
 * with a link to the screen that does it. Shown on the agenda until every step is done and the
 * admin dismisses it. Receptionists see one line saying who can finish the set-up.
 */
export function SetupChecklist({ isAdmin }: { isAdmin: boolean }) {
  const checklist = useRead('setup/checklist', {});
  const [hidden, setHidden] = useState(dismissed);
  const data = checklist.data;
  if (!data || hidden) return null;
  if (!isAdmin) {
    const bookable = data.steps.filter((s) => s.key !== 'booking').every((s) => s.done);
    return bookable ? null : (
      <Alert severity="info" sx={{ mb: 2 }}>
        The clinic is not ready for bookings yet: an administrator still has to add doctors and their hours. Until then the agenda stays empty.
      </Alert>
    );
  }
  const next = data.steps.find((s) => !s.done)?.key ?? null;
  // A clinic that was complete before this desk ever saw the list (the demo, a second desk) gets no banner.
  if (data.complete && !flag(SEEN_KEY)) return null;
  if (!data.complete) setFlag(SEEN_KEY);
  if (data.complete) {
    return (
      <Alert
        severity="success"
        sx={{ mb: 2 }}
        aria-label="Set-up checklist"
        action={
          <Button
            color="inherit"
            size="small"
            onClick={() => {
              setFlag(DISMISSED_KEY);
              setHidden(true);
            }}
          >
            Dismiss
          </Button>
        }
      >
        <AlertTitle>Your clinic is set up</AlertTitle>
        Locations, a consultation type, doctors with hours and a first booking are in place.
      </Alert>
    );
  }
  const doneCount = data.steps.filter((s) => s.done).length;
  return (
    <Paper component="section" aria-label="Set-up checklist" sx={{ p: 2, mb: 2, borderLeft: 4, borderColor: 'primary.main' }}>
      <Typography variant="h6" component="h2">
        Set up your clinic ({doneCount} of {data.steps.length} done)
      </Typography>
      <Typography variant="body2" color="text.secondary">
        Do these in order; each step is ticked as soon as it is done.
      </Typography>
      <List dense disablePadding>
        {data.steps.map((s, i) => {
          const step = STEPS[s.key];
          return (
            <ListItem key={s.key} disableGutters aria-current={s.key === next ? 'step' : undefined}>
              <ListItemIcon sx={{ minWidth: 36 }}>
                <Box
                  component="span"
                  role="img"
                  aria-label={s.done ? 'Done' : 'Not done yet'}
                  sx={{
                    width: 24,
                    height: 24,
                    borderRadius: '50%',
                    display: 'inline-flex',
                    alignItems: 'center',
                    justifyContent: 'center',
                    fontSize: 14,
                    fontWeight: 700,
                    bgcolor: s.done ? 'success.main' : s.key === next ? 'primary.main' : 'grey.300',
                    color: s.done || s.key === next ? 'common.white' : 'text.primary',
                  }}
                >
                  {s.done ? '✓' : i + 1}
                </Box>
              </ListItemIcon>
              <ListItemText
                primary={
                  <>
                    <Box component="span" sx={{ fontWeight: s.key === next ? 700 : 400, textDecoration: s.done ? 'line-through' : 'none' }}>
                      {step.title}
                    </Box>
                    {!s.done && (
                      <>
                        {' — '}
                        <Link component="button" type="button" onClick={() => navigate(...step.route)} sx={{ verticalAlign: 'baseline' }}>
                          {step.link}
                        </Link>
                      </>
                    )}
                  </>
                }
                secondary={s.done ? step.done(s.count) : step.todo}
              />
            </ListItem>
          );
        })}
      </List>
      <Typography variant="body2" sx={{ mt: 1 }}>
        Already keep a list of your patients?{' '}
        <Link component="button" type="button" onClick={() => navigate('import')} sx={{ verticalAlign: 'baseline' }}>
          Import your patient list
        </Link>
      </Typography>
    </Paper>
  );
}
