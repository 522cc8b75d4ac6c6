import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';

import { ErrorBanner } from '../../components/error-banner.js';
import { useRead } from '../../api/queries.js';
import { navigate } from '../../app/router.js';
import { DoctorList } from './doctor-list.js';
import { DoctorPage } from './doctor-page.js';
import { LocationsTab } from './locations-tab.js';
import { SpecializationsTab } from './specializations-tab.js';
import { ConsultationTypesTab } from './consultation-types-tab.js';

const TABS = [
  { value: 'doctors', label: 'Doctors' },
  { value: 'locations', label: 'Locations' },
  { value: 'specializations', label: 'Specializations' },
  { value: 'types', label: 'Consultation types' },
] as const;

/** The clinic's roster (admin): doctors with hours and time off, locations, specializations, consultation types. */
export function RosterScreen({ route }: { route: string[] }) {
  const tab = TABS.some((t) => t.value === route[0]) ? route[0]! : 'doctors';
  const roster = useRead('roster/list', {});
  const data = roster.data;
  return (
    <Box component="main">
      <Typography variant="h5" component="h1" gutterBottom>
        Roster
      </Typography>
      <Tabs value={tab} onChange={(_e, value: string) => navigate('roster', value)} aria-label="Roster sections" sx={{ mb: 2 }}>
        {TABS.map((t) => (
          <Tab key={t.value} value={t.value} label={t.label} />
        ))}
      </Tabs>
      <ErrorBanner error={roster.error} />
      {data && tab === 'doctors' && route[1] && <DoctorPage key={route[1]} doctorId={route[1]} roster={data} onChanged={roster.reload} />}
      {data && tab === 'doctors' && !route[1] && <DoctorList roster={data} />}
      {data && tab === 'locations' && <LocationsTab roster={data} onChanged={roster.reload} />}
      {data && tab === 'specializations' && <SpecializationsTab roster={data} onChanged={roster.reload} />}
      {data && tab === 'types' && <ConsultationTypesTab roster={data} onChanged={roster.reload} />}
    </Box>
  );
}
