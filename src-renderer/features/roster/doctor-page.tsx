import { useState } from 'react';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Grid from '@mui/material/Grid';
import Typography from '@mui/material/Typography';

import { ErrorBanner } from '../../components/error-banner.js';
import { useRead } from '../../api/queries.js';
import { navigate } from '../../app/router.js';
import { DoctorForm } from './doctor-form.js';
import { ExceptionsEditor } from './exceptions-editor.js';
import { WeeklyHoursEditor } from './weekly-hours-editor.js';
import { WeekView } from './week-view.js';
import type { RosterData } from './roster-types.js';

/** One doctor: details, weekly hours, time off and extra hours, and their week. */
export function DoctorPage({ doctorId, roster, onChanged }: { doctorId: string; roster: RosterData; onChanged: () => void }) {
  const isNew = doctorId === 'new';
  const detail = useRead('roster/get-doctor', isNew ? null : { doctorId });
  const [version, setVersion] = useState(0);
  const changed = () => {
    detail.reload();
    onChanged();
    setVersion((v) => v + 1);
  };
  const d = detail.data;
  return (
    <>
      <Button onClick={() => navigate('roster', 'doctors')} sx={{ mb: 1 }}>
        ← All doctors
      </Button>
      <Typography variant="h6" component="h2" gutterBottom>
        {isNew ? 'New doctor' : (d?.doctor.name ?? '…')}
      </Typography>
      <ErrorBanner error={detail.error} />
      {(isNew || d) && (
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, md: 4 }}>
            <Panel title="Details">
              <DoctorForm
                key={`${version}`}
                doctor={d?.doctor ?? null}
                specializations={roster.specializations}
                onSaved={(id) => {
                  if (isNew) navigate('roster', 'doctors', id);
                  changed();
                }}
              />
            </Panel>
          </Grid>
          {d && (
            <>
              <Grid size={{ xs: 12, md: 8 }}>
                <Panel title="Weekly hours">
                  <WeeklyHoursEditor doctorId={d.doctor.id} initial={d.hours} locations={roster.locations} onSaved={changed} />
                </Panel>
                <Panel title="Time off and extra hours">
                  <ExceptionsEditor doctorId={d.doctor.id} exceptions={d.exceptions} locations={roster.locations} onSaved={changed} />
                </Panel>
              </Grid>
              <Grid size={12}>
                <Panel title="Week">
                  <WeekView doctorId={d.doctor.id} version={version} />
                </Panel>
              </Grid>
            </>
          )}
        </Grid>
      )}
    </>
  );
}

function Panel({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Card variant="outlined" component="section" aria-label={title} sx={{ mb: 2 }}>
      <CardContent>
        <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600, mb: 1 }}>
          {title}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}
