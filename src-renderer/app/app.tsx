import { useCallback, useEffect, useState } from 'react';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import LinearProgress from '@mui/material/LinearProgress';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import { useIsFetching } from '@tanstack/react-query';
import Container from '@mui/material/Container';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import type { StaffInfo } from '../../src-main/contract/index.js';
import { call, onAuthError } from '../api/client.js';
import { invalidateAll, invalidateFor, queryClient } from '../api/queries.js';
import { startLiveUpdates } from '../api/live.js';
import { SetupScreen } from '../features/setup/setup-screen.js';
import { SetupChecklist } from '../features/setup/setup-checklist.js';
import { LockScreen, LoginScreen, type LockReason } from '../features/auth/login-screen.js';
import { AgendaScreen } from '../features/agenda/agenda-screen.js';
import { DayViewScreen } from '../features/agenda/day-view.js';
import { StaffScreen } from '../features/admin/staff-screen.js';
import { AuditScreen } from '../features/admin/audit-screen.js';
import { BackgroundScreen } from '../features/admin/background-screen.js';
import { SettingsScreen } from '../features/admin/settings-screen.js';
import { ImportScreen } from '../features/import/import-screen.js';
import { PatientSearchScreen } from '../features/patients/search-screen.js';
import { RegisterScreen } from '../features/patients/register-screen.js';
import { forgetRegistration } from '../features/patients/draft.js';
import { PatientProfileScreen } from '../features/patients/profile-screen.js';
import { BookingScreen } from '../features/booking/booking-screen.js';
import { RosterScreen } from '../features/roster/roster-screen.js';
import { ChangePasswordButton } from '../features/auth/change-password-dialog.js';
import { ReferralCodesScreen } from '../features/referrals/referral-codes-screen.js';
import { SymptomCheckScreen } from '../features/symptoms/symptom-check-screen.js';
import { MessagesScreen } from '../features/notifications/messages-screen.js';
import { ConfirmationScreen } from '../features/notifications/confirmation-screen.js';
import { CashUpScreen } from '../features/payments/cash-up-screen.js';
import { CommissionsScreen } from '../features/payments/commissions-screen.js';
import { AttentionCount, AttentionScreen } from '../features/payments/attention-screen.js';
import { CancelOutcomeHost } from '../features/payments/cancel-money.js';
import { PrintRoute } from '../features/printing/print-route.js';
import { ActionFeedbackHost } from '../features/agenda/action-feedback.js';
import { useIdle } from './idle.js';
import { SignedInContext } from './signed-in.js';
import { navigate, useRoute } from './router.js';

type Phase =
  | { kind: 'loading' }
  | { kind: 'setup'; notice: string | null }
  | {
      kind: 'login';
      clinicName: string | null;
      demoAccounts: Array<{ username: string; password: string; role: string }> | null;
      /** Why this desk was signed out (lifetime over, account changed), if it was. */
      notice: string | null;
    }
  | { kind: 'locked'; staff: StaffInfo; reason: LockReason }
  | { kind: 'ready'; staff: StaffInfo; clinicName: string; lockMinutes: number };

interface NavItem {
  path: string;
  label: string;
  key: string;
  /** 'desk': always on the bar; 'admin': in the Admin menu (so the bar fits one line at 1024 px). */
  group: 'desk' | 'admin';
  adminOnly?: boolean;
}

/** One line per screen, so entries added by parallel work merge cleanly. */
const NAV: NavItem[] = [
  { path: 'agenda', label: 'Agenda', key: 'a', group: 'desk' },
  { path: 'day', label: 'Day view', key: 'd', group: 'desk' }, // Alt+D: in Electron and the e2e browser no address bar claims it
  { path: 'patients', label: 'Patients', key: 'p', group: 'desk' },
  { path: 'symptoms', label: 'Symptoms', key: 'y', group: 'desk' },
  { path: 'attention', label: 'Attention', key: 'i', group: 'desk' },
  { path: 'messages', label: 'Messages', key: 'm', group: 'admin' },
  // Alt+T (till): not Alt+D or Alt+F, which browsers keep for their own address bar and menu.
  { path: 'cash-up', label: 'Cash-up', key: 't', group: 'admin' },
  { path: 'roster', label: 'Roster', key: 'r', group: 'admin', adminOnly: true },
  { path: 'referrals', label: 'Referral codes', key: 'c', group: 'admin', adminOnly: true },
  { path: 'commissions', label: 'Commissions', key: 'o', group: 'admin', adminOnly: true },
  { path: 'staff', label: 'Staff', key: 's', group: 'admin', adminOnly: true },
  { path: 'import', label: 'Import patients', key: '', group: 'admin', adminOnly: true },
  { path: 'audit', label: 'Audit log', key: 'u', group: 'admin', adminOnly: true },
  { path: 'background', label: 'Background work', key: 'k', group: 'admin', adminOnly: true },
  { path: 'settings', label: 'Settings', key: 'e', group: 'admin', adminOnly: true },
];

/** The Alt shortcut that opens the Admin menu from anywhere. */
const ADMIN_MENU_KEY = 'g';
const ADMIN_MENU_BUTTON = 'admin-menu-button';

const navButtonSx = (current: boolean) => ({
  whiteSpace: 'nowrap',
  flexShrink: 0,
  minWidth: 0,
  px: 0.75,
  fontWeight: current ? 700 : 400,
  textDecoration: current ? 'underline' : 'none',
  textUnderlineOffset: '4px',
});

/**
 * The admin screens (and the desk's less frequent ones) in one menu: opened by click, Enter/Space
 * or Alt+G; arrows move, Enter opens, Escape closes and gives focus back to the button.
 */
function AdminMenu({ items, page, label }: { items: NavItem[]; page: string; label: string }) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const open = anchor !== null;
  const close = () => setAnchor(null);
  if (items.length === 0) return null;
  const current = items.find((n) => n.path === page);
  return (
    <>
      <Button
        id={ADMIN_MENU_BUTTON}
        color="inherit"
        aria-haspopup="menu"
        aria-controls={open ? 'admin-menu' : undefined}
        aria-expanded={open ? 'true' : undefined}
        aria-current={current ? 'page' : undefined}
        title={`Alt+${ADMIN_MENU_KEY.toUpperCase()}`}
        onClick={(e) => setAnchor(e.currentTarget)}
        endIcon={<span aria-hidden="true">▾</span>}
        sx={navButtonSx(!!current)}
      >
        {label}
      </Button>
      <Menu
        id="admin-menu"
        anchorEl={anchor}
        open={open}
        onClose={close}
        slotProps={{ list: { 'aria-label': `${label} menu` } }}
      >
        {items.map((n) => (
          <MenuItem
            key={n.path}
            selected={n.path === page}
            onClick={() => {
              close();
              navigate(n.path);
            }}
          >
            <ListItemText>{n.label}</ListItemText>
            {n.key && (
              <Typography variant="body2" sx={{ ml: 3, color: 'text.secondary' }} aria-hidden="true">
                Alt+{n.key.toUpperCase()}
              </Typography>
            )}
          </MenuItem>
        ))}
        {!window.clinicDesk && (
          // The patient booking page in kiosk mode, for a tablet at the desk (web mode: the desktop app has no page to open).
          <MenuItem component="a" href="/book?kiosk=1" target="_blank" rel="noopener" onClick={close} title="Opens the patient booking page in kiosk mode in a new tab">
            <ListItemText>Patient kiosk</ListItemText>
          </MenuItem>
        )}
      </Menu>
    </>
  );
}

/** A thin bar under the app bar while any screen's data loads or refreshes. */
function FetchingBar() {
  const fetching = useIsFetching();
  return (
    <Box sx={{ height: 3 }} aria-hidden={fetching === 0}>
      {fetching > 0 && <LinearProgress aria-label="Loading" sx={{ height: 3 }} />}
    </Box>
  );
}

export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const route = useRoute();

  const refresh = useCallback(async (lockReason: LockReason = null) => {
    const status = await call('setup/status', {});
    if (status.ok && status.data.needsSetup) return setPhase({ kind: 'setup', notice: status.data.notice });
    const session = await call('auth/session', {});
    if (!session.ok || !session.data.staff) {
      return setPhase({
        kind: 'login',
        clinicName: status.ok ? status.data.clinicName : null,
        demoAccounts: status.ok ? status.data.demoAccounts : null,
        notice: session.ok ? session.data.signedOutReason : null,
      });
    }
    if (session.data.locked) return setPhase({ kind: 'locked', staff: session.data.staff, reason: lockReason });
    setPhase({ kind: 'ready', staff: session.data.staff, clinicName: session.data.clinicName, lockMinutes: session.data.lockMinutes });
  }, []);

  useEffect(() => {
    // refresh() sets state only after its first await, never synchronously here.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void refresh();
    return onAuthError(() => void refresh());
  }, [refresh]);

  const lockNow = useCallback(
    async (reason: Exclude<LockReason, null>) => {
      await call('auth/lock', {});
      void refresh(reason);
    },
    [refresh],
  );

  const signOut = useCallback(async () => {
    await call('auth/logout', {});
    forgetRegistration(); // a registration in progress is not left for the next person
    window.location.hash = '';
    void refresh();
  }, [refresh]);

  // Live screens: while signed in, change notices refresh the affected queries. Signed out or
  // locked, nothing cached stays in memory.
  useEffect(() => {
    if (phase.kind !== 'ready') {
      queryClient.clear();
      return;
    }
    return startLiveUpdates({
      onNotices: (notices) => void invalidateFor(notices),
      onResync: () => void invalidateAll(),
      onSessionEnded: () => void refresh(),
    });
  }, [phase.kind, refresh]);

  useIdle(phase.kind === 'ready' ? phase.lockMinutes : 10, () => void lockNow('idle'), phase.kind === 'ready');

  useEffect(() => {
    if (phase.kind !== 'ready') return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const item = NAV.find((n) => n.key !== '' && n.key === e.key.toLowerCase());
      if (item && (!item.adminOnly || phase.staff.role === 'admin')) {
        e.preventDefault();
        navigate(item.path);
      }
      if (e.key.toLowerCase() === ADMIN_MENU_KEY) {
        e.preventDefault();
        // The same as clicking it: the menu opens with its first item focused.
        document.getElementById(ADMIN_MENU_BUTTON)?.click();
      }
      if (e.key.toLowerCase() === 'b') {
        e.preventDefault();
        // On a patient's record, book for that patient.
        const [page, id] = window.location.hash.replace(/^#\/?/, '').split('/');
        if (page === 'patients' && id && id !== 'new') navigate('book', id);
        else navigate('book');
      }
      if (e.key.toLowerCase() === 'n') {
        e.preventDefault();
        navigate('patients', 'new');
      }
      if (e.key.toLowerCase() === 'l') {
        e.preventDefault();
        void lockNow('manual');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [phase, lockNow]);

  // A kiosk (#/kiosk): the symptom checker for a patient on their own — nothing of any record is shown or saved.
  if (route[0] === 'kiosk') return <SymptomCheckScreen kiosk />;

  switch (phase.kind) {
    case 'loading':
      return (
        <Box sx={{ display: 'flex', justifyContent: 'center', p: 8 }}>
          <CircularProgress aria-label="Loading" />
        </Box>
      );
    case 'setup':
      return <SetupScreen notice={phase.notice} onDone={() => void refresh()} />;
    case 'login':
      return (
        <LoginScreen clinicName={phase.clinicName} demoAccounts={phase.demoAccounts} notice={phase.notice} onLogin={() => void refresh()} />
      );
    case 'locked':
      // Nothing of the previous screen stays mounted: patient data leaves the screen.
      return <LockScreen name={phase.staff.displayName} reason={phase.reason} onUnlock={() => void refresh()} onSignOut={() => void signOut()} />;
    case 'ready':
      break;
  }

  const isAdmin = phase.staff.role === 'admin';
  const page = route[0] ?? 'agenda';
  // A print view is a page of its own: no app bar, nothing but the sheet and its Print button.
  if (page === 'print') return <SignedInContext.Provider value={phase.staff}><PrintRoute route={route.slice(1)} /></SignedInContext.Provider>;
  let content: React.ReactNode;
  if (page === 'book') content = <BookingScreen key={route[1] ?? 'any'} patientId={route[1]} />;
  else if (page === 'patients' && route[1] === 'new') content = <RegisterScreen key={window.location.hash} />;
  else if (page === 'patients' && route[1]) content = <PatientProfileScreen key={route[1]} patientId={route[1]} />;
  else if (page === 'patients') content = <PatientSearchScreen />;
  else if (page === 'day') content = <DayViewScreen date={route[1]} />;
  else if (page === 'symptoms') content = <SymptomCheckScreen key={route[1] ?? 'none'} patientId={route[1]} />;
  else if (page === 'staff' && isAdmin) content = <StaffScreen onSelfChanged={() => void refresh()} />;
  else if (page === 'audit' && isAdmin) content = <AuditScreen />;
  else if (page === 'background' && isAdmin) content = <BackgroundScreen />;
  else if (page === 'settings' && isAdmin) content = <SettingsScreen onSaved={() => void refresh()} />;
  else if (page === 'import' && isAdmin) content = <ImportScreen />;
  else if (page === 'roster' && isAdmin) content = <RosterScreen route={route.slice(1)} />;
  else if (page === 'referrals' && isAdmin) content = <ReferralCodesScreen />;
  else if (page === 'messages') content = <MessagesScreen />;
  else if (page === 'confirmation' && route[1]) content = <ConfirmationScreen key={route[1]} appointmentId={route[1]} />;
  else if (page === 'cash-up') content = <CashUpScreen />;
  else if (page === 'commissions' && isAdmin) content = <CommissionsScreen />;
  else if (page === 'attention') content = <AttentionScreen />;
  else
    content = (
      <>
        <SetupChecklist isAdmin={isAdmin} />
        <AgendaScreen />
      </>
    );

  return (
    <SignedInContext.Provider value={phase.staff}>
      <AppBar position="sticky" color="primary">
        <Toolbar variant="dense" sx={{ gap: 1 }}>
          <Typography variant="h6" component="div" noWrap title={phase.clinicName} sx={{ mr: 1, flexShrink: 20, minWidth: 60, maxWidth: { xs: 180, lg: 320 } }}>
            {phase.clinicName}
          </Typography>
          <Box component="nav" aria-label="Main" sx={{ display: 'flex', alignItems: 'center', gap: 0.25, flexGrow: 1, minWidth: 0 }}>
            {NAV.filter((n) => n.group === 'desk' && (!n.adminOnly || isAdmin)).map((n) => (
              <Button
                key={n.path}
                color="inherit"
                onClick={() => navigate(n.path)}
                aria-current={page === n.path ? 'page' : undefined}
                title={n.key ? `Alt+${n.key.toUpperCase()}` : undefined}
                sx={navButtonSx(page === n.path)}
              >
                {n.label}
                {n.path === 'attention' && <AttentionCount />}
              </Button>
            ))}
            <AdminMenu
              items={NAV.filter((n) => n.group === 'admin' && (!n.adminOnly || isAdmin))}
              page={page}
              label={isAdmin ? 'Admin' : 'More'}
            />
          </Box>
          <ChangePasswordButton label={phase.staff.displayName} title={`${phase.staff.displayName} — change my password (${phase.staff.role})`} />
          <Button color="inherit" onClick={() => void lockNow('manual')} title="Alt+L" sx={{ flexShrink: 0 }}>
            Lock
          </Button>
          <Button color="inherit" onClick={() => void signOut()} sx={{ flexShrink: 0, whiteSpace: 'nowrap' }}>
            Sign out
          </Button>
        </Toolbar>
      </AppBar>
      <FetchingBar />
      <Container maxWidth="xl" sx={{ py: 2 }}>
        {content}
      </Container>
      <CancelOutcomeHost />
      <ActionFeedbackHost />
    </SignedInContext.Provider>
  );
}
