import { useEffect, useMemo, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Snackbar from '@mui/material/Snackbar';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { FilterSelect } from '../../components/pickers.js';
import Typography from '@mui/material/Typography';
import type { AgendaItem } from '../../../src-main/contract/index.js';
import { paymentStatusLabels } from '../../../src-main/contract/payments.contract.js';
import { useRead } from '../../api/queries.js';
import { navigate } from '../../app/router.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { todayIn } from '../../components/format.js';
import { useClinicZone } from '../../components/clinic-zone.js';
import { setBookingPreset } from '../symptoms/booking-preset.js';
import { MoveDialog, type MoveRequest } from './day-view-move.js';
import { clock, columnItems, lanes, MINUTE, nearest, PX_PER_MINUTE, snap, yOf, type Appointment, type Column, type Item } from './day-view-layout.js';

/** Read by screen readers, not shown. */
const visuallyHidden = { border: 0, clip: 'rect(0 0 0 0)', height: '1px', margin: '-1px', overflow: 'hidden', padding: 0, position: 'absolute', whiteSpace: 'nowrap', width: '1px' } as const;
const COLUMN_WIDTH = 168;
const TIME_WIDTH = 92;
const HEADER_HEIGHT = 56;

/** Status colours: dark text on a light fill (contrast ≥ 7:1) plus the status in words and a left bar style. */
const STATUS: Record<AgendaItem['status'], { label: string; bg: string; bar: string; fg: string }> = {
  booked: { label: 'Booked', bg: '#e3f2fd', bar: '#1565c0', fg: '#0d2f57' },
  checked_in: { label: 'Checked in', bg: '#fff3e0', bar: '#e65100', fg: '#4a2100' },
  completed: { label: 'Completed', bg: '#e8f5e9', bar: '#2e7d32', fg: '#123d16' },
  no_show: { label: 'No-show', bg: '#fce4ec', bar: '#ad1457', fg: '#5c0a2c' },
  cancelled: { label: 'Cancelled', bg: '#eeeeee', bar: '#616161', fg: '#212121' },
};

const shiftDate = (date: string, days: number): string => {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const goTo = (date: string | undefined) => (date ? navigate('day', date) : navigate('day'));
const longDate = (date: string): string => new Date(`${date}T12:00:00Z`).toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

interface Ghost {
  appointment: Appointment;
  fromColumn: number;
  column: number;
  startAt: number;
  locationId: string | null;
  /** Pointer drags show the ghost only once the pointer has moved. */
  via: 'keyboard' | 'pointer';
}

/**
 * The day view (Alt+D): time down the side in the clinic's zone, a column per doctor working
 * that day. Free slots open the booking screen prefilled; appointments move by dragging, or
 * with the keyboard (Enter on a visit, arrows move it, Enter confirms, Escape cancels).
 */
export function DayViewScreen({ date: routeDate }: { date?: string }) {
  const zone = useClinicZone();
  const [locationId, setLocationId] = useState('');
  const [specializationId, setSpecializationId] = useState('');
  const [typeId, setTypeId] = useState('');
  const grid = useRead('agenda/day-grid', { date: routeDate, locationId: locationId || undefined, specializationId: specializationId || undefined, consultationTypeId: typeId || undefined });
  const data = grid.data;
  const shown = data?.date ?? routeDate;

  const [active, setActive] = useState<string | null>(null);
  const [ghost, setGhost] = useState<Ghost | null>(null);
  const [move, setMove] = useState<MoveRequest | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const drag = useRef<{ appointment: Appointment; column: number; x: number; y: number; grabMs: number; moved: boolean; pointerId: number } | null>(null);

  const viewStart = data ? Date.parse(data.viewStart) : 0;
  const viewEnd = data ? Date.parse(data.viewEnd) : 0;
  const height = data ? yOf(viewEnd, viewStart) : 0;
  const columns = useMemo(() => data?.doctors ?? [], [data]);
  const items = useMemo(() => columns.map(columnItems), [columns]);

  // [ and ] move a day, t is today (as on the agenda), unless typing.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, textarea, [role="combobox"], [role="dialog"]') || e.ctrlKey || e.metaKey || e.altKey || !shown) return;
      if (e.key === '[') goTo(shiftDate(shown, -1));
      else if (e.key === ']') goTo(shiftDate(shown, 1));
      else if (e.key === 't') goTo(undefined);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shown]);

  const focusItem = (key: string) => {
    setActive(key);
    requestAnimationFrame(() => gridRef.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`)?.focus());
  };

  const book = (column: Column, at: number) => {
    if (!data || !zone) return;
    setBookingPreset({
      specializationId: '',
      consultationTypeId: data.consultationType?.id ?? null,
      earliestFirst: false,
      doctorId: column.id,
      date: todayIn(zone, new Date(at)),
      time: clock(at, zone),
      summary: `From the day view: ${column.name} at ${clock(at, zone)}.`,
    });
    navigate('book');
  };

  const startMove = (appointment: Appointment, column: number, via: Ghost['via']) => {
    if (appointment.status !== 'booked') {
      setNotice(`${appointment.patientName}’s visit is ${STATUS[appointment.status].label.toLowerCase()}; only booked visits can be moved.`);
      return;
    }
    const at = Date.parse(appointment.startAt);
    setGhost({ appointment, fromColumn: column, column, startAt: at, locationId: appointment.locationId, via });
  };

  const moveGhost = (g: Ghost, column: number, at: number) => {
    const target = columns[column];
    if (!target) return g;
    const duration = Date.parse(g.appointment.endAt) - Date.parse(g.appointment.startAt);
    const clamped = Math.max(viewStart, Math.min(at, viewEnd - duration));
    const snapped = snap(target, clamped, duration);
    return { ...g, column, startAt: snapped.startAt, locationId: snapped.locationId ?? g.locationId };
  };

  const confirmGhost = (g: Ghost) => {
    const from = columns[g.fromColumn];
    const to = columns[g.column];
    setGhost(null);
    if (!from || !to) return;
    if (g.column === g.fromColumn && g.startAt === Date.parse(g.appointment.startAt)) return;
    const locationName = to.hours.find((h) => h.locationId === g.locationId)?.locationName ?? null;
    setMove({ appointment: g.appointment, fromDoctor: { id: from.id, name: from.name }, toDoctor: { id: to.id, name: to.name }, startAt: g.startAt, locationId: g.locationId, locationName });
  };

  const onGridKey = (e: React.KeyboardEvent) => {
    if (!data) return;
    if (ghost) {
      const target = columns[ghost.column];
      const step = (target?.slotMinutes ?? 15) * MINUTE;
      const keys: Record<string, () => Ghost> = {
        ArrowUp: () => moveGhost(ghost, ghost.column, ghost.startAt - step),
        ArrowDown: () => moveGhost(ghost, ghost.column, ghost.startAt + step),
        ArrowLeft: () => moveGhost(ghost, Math.max(0, ghost.column - 1), ghost.startAt),
        ArrowRight: () => moveGhost(ghost, Math.min(columns.length - 1, ghost.column + 1), ghost.startAt),
      };
      if (keys[e.key]) {
        e.preventDefault();
        setGhost(keys[e.key]!());
      } else if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        confirmGhost(ghost);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        setGhost(null);
      }
      return;
    }
    const [ci, ii] = locate(active);
    if (ci < 0) return;
    const list = items[ci]!;
    const current = list[ii];
    const go = (item: Item | undefined) => {
      if (!item) return;
      e.preventDefault();
      focusItem(item.key);
    };
    if (e.key === 'ArrowDown') go(list[Math.min(list.length - 1, ii + 1)]);
    else if (e.key === 'ArrowUp') go(list[Math.max(0, ii - 1)]);
    else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const dir = e.key === 'ArrowRight' ? 1 : -1;
      for (let c = ci + dir; c >= 0 && c < items.length; c += dir) {
        const hit = nearest(items[c]!, current?.at ?? viewStart);
        if (hit) return go(hit);
      }
    } else if (e.key === 'Home') go(list[0]);
    else if (e.key === 'End') go(list[list.length - 1]);
    else if ((e.key === 'Enter' || e.key === ' ') && current) {
      e.preventDefault();
      if (current.kind === 'free') book(columns[ci]!, current.at);
      else startMove(current.appointment, ci, 'keyboard');
    }
  };

  /** Column and index of an item key. */
  function locate(key: string | null): [number, number] {
    if (!key) return [-1, -1];
    for (let c = 0; c < items.length; c++) {
      const i = items[c]!.findIndex((x) => x.key === key);
      if (i >= 0) return [c, i];
    }
    return [-1, -1];
  }

  // The one tab stop of the grid: the focused item, else the first one.
  const tabStop = (locate(active)[0] >= 0 ? active : null) ?? items.find((l) => l.length > 0)?.[0]?.key ?? null;

  const pointerTarget = (clientX: number, clientY: number, grabMs: number): { column: number; at: number } | null => {
    const body = gridRef.current?.querySelector<HTMLElement>('[data-columns]');
    if (!body) return null;
    const rect = body.getBoundingClientRect();
    const column = Math.floor((clientX - rect.left) / COLUMN_WIDTH);
    if (column < 0 || column >= columns.length) return null;
    return { column, at: viewStart + ((clientY - rect.top) / PX_PER_MINUTE) * MINUTE - grabMs };
  };

  const onPointerDown = (e: React.PointerEvent, appointment: Appointment, column: number) => {
    if (e.button !== 0 || appointment.status !== 'booked') return;
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
    (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
    drag.current = { appointment, column, x: e.clientX, y: e.clientY, grabMs: ((e.clientY - rect.top) / PX_PER_MINUTE) * MINUTE, moved: false, pointerId: e.pointerId };
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    if (!d.moved && Math.hypot(e.clientX - d.x, e.clientY - d.y) < 5) return;
    d.moved = true;
    const target = pointerTarget(e.clientX, e.clientY, d.grabMs);
    if (!target) return;
    setGhost(moveGhost(ghost ?? { appointment: d.appointment, fromColumn: d.column, column: d.column, startAt: Date.parse(d.appointment.startAt), locationId: d.appointment.locationId, via: 'pointer' }, target.column, target.at));
  };
  const onPointerUp = (e: React.PointerEvent) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    drag.current = null;
    if (!d.moved) return; // a click: selects (focus)
    const target = pointerTarget(e.clientX, e.clientY, d.grabMs);
    if (ghost && target) confirmGhost(moveGhost(ghost, target.column, target.at));
    else setGhost(null);
  };

  const typeName = data?.consultationType?.name ?? '';
  return (
    <Box component="main">
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', mb: 1.5, flexWrap: 'wrap' }}>
        <Typography variant="h5" component="h1" sx={{ flexGrow: 1, minWidth: 260 }}>
          Day view{shown ? ` — ${longDate(shown)}` : ''}
        </Typography>
        <Button onClick={() => shown && goTo(shiftDate(shown, -1))} aria-label="Previous day" title="[">
          ‹ Previous
        </Button>
        <Button onClick={() => goTo(undefined)} title="t">
          Today
        </Button>
        <Button onClick={() => shown && goTo(shiftDate(shown, 1))} aria-label="Next day" title="]">
          Next ›
        </Button>
        <TextField size="small" type="date" label="Date" value={shown ?? ''} onChange={(e) => e.target.value && goTo(e.target.value)} slotProps={{ inputLabel: { shrink: true } }} sx={{ width: 160 }} />
        <Button onClick={() => navigate('agenda')}>List</Button>
      </Stack>
      <Box sx={{ display: 'flex', gap: 1, mb: 1, flexWrap: 'wrap', alignItems: 'center' }}>
        <FilterSelect label="Location" allLabel="All locations" value={locationId} options={data?.locations} onChange={setLocationId} width={190} />
        <FilterSelect label="Specialization" allLabel="All specializations" value={specializationId} options={data?.specializations} onChange={setSpecializationId} width={210} />
        <TextField select size="small" label="Free time for" value={data?.consultationType?.id ?? ''} onChange={(e) => setTypeId(e.target.value)} sx={{ width: 290 }}>
          {(data?.consultationTypes ?? []).map((t) => (
            <MenuItem key={t.id} value={t.id}>
              {t.name} · {t.durationMinutes} min
            </MenuItem>
          ))}
        </TextField>
        {/* One line that never changes height (a drag must not shift the grid under the pointer). */}
        <Box sx={{ flex: '1 1 300px', minHeight: 40, display: 'flex', alignItems: 'center' }} aria-live="polite">
          {ghost ? (
            <Typography variant="body2" sx={{ fontWeight: 700, color: '#0d2f57' }}>
              Moving {ghost.appointment.patientName} to {zone ? clock(ghost.startAt, zone) : ''} with {columns[ghost.column]?.name}: {ghost.via === 'keyboard' ? 'arrows move, Enter confirms, Escape cancels.' : 'release to confirm.'}
            </Typography>
          ) : (
            <Typography variant="body2" color="text.secondary">
              Times in {data?.timeZone ?? '…'}
              {data && data.dayHours !== 24 ? ` — clocks change today: a ${data.dayHours}-hour day` : ''}. Arrows move between slots and visits; Enter on a free slot books it; Enter on a visit (or drag it) moves it.
            </Typography>
          )}
        </Box>
      </Box>
      <ErrorBanner error={grid.error} />
      {data && columns.length === 0 && (
        <Alert severity="info" sx={{ my: 1 }}>
          No doctor works {specializationId || locationId ? 'here ' : ''}on this day{data.notWorking.length ? '' : ' — add weekly hours in the Roster'}.
        </Alert>
      )}
      {data && columns.length > 0 && (
        <Box
          ref={gridRef}
          role="application"
          aria-label={`Day view: ${columns.length} doctors. ${typeName ? `Free slots are for ${typeName}.` : ''}`}
          onKeyDown={onGridKey}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={() => {
            drag.current = null;
            setGhost(null);
          }}
          sx={{ position: 'relative', overflow: 'auto', maxHeight: 'calc(100vh - 210px)', minHeight: 320, border: 1, borderColor: 'divider', borderRadius: 1, bgcolor: 'background.paper', touchAction: 'none' }}
        >
          <Box sx={{ display: 'flex', width: TIME_WIDTH + columns.length * COLUMN_WIDTH }}>
            {/* The header row: doctors' names, sticky on top. */}
            <Box sx={{ position: 'sticky', left: 0, top: 0, zIndex: 4, width: TIME_WIDTH, flexShrink: 0, height: HEADER_HEIGHT, bgcolor: 'background.paper', borderBottom: 1, borderRight: 1, borderColor: 'divider' }} />
            <Box sx={{ display: 'flex', position: 'sticky', top: 0, zIndex: 3, bgcolor: 'background.paper' }}>
              {columns.map((c) => (
                <Box key={c.id} sx={{ width: COLUMN_WIDTH, height: HEADER_HEIGHT, px: 1, py: 0.5, borderBottom: 1, borderRight: 1, borderColor: 'divider', overflow: 'hidden' }}>
                  <Typography variant="subtitle2" component="h2" noWrap title={c.name}>
                    {c.name}
                  </Typography>
                  <Typography variant="caption" component="p" noWrap title={c.specializations.join(', ')} sx={{ color: 'text.secondary' }}>
                    {c.status === 'off' ? 'Time off all day' : c.status === 'no-hours' ? 'No hours today' : [...new Set(c.hours.map((h) => h.locationName))].join(', ') || c.specializations.join(', ')}
                    {c.status === 'working' && !c.offersType && typeName ? ` · no ${typeName}` : ''}
                  </Typography>
                </Box>
              ))}
            </Box>
          </Box>
          <Box sx={{ display: 'flex', width: TIME_WIDTH + columns.length * COLUMN_WIDTH }}>
            {/* Time down the side, sticky on the left. */}
            <Box aria-hidden sx={{ position: 'sticky', left: 0, zIndex: 2, width: TIME_WIDTH, flexShrink: 0, height, bgcolor: 'background.paper', borderRight: 1, borderColor: 'divider' }}>
              {data.hourMarks.map((m) => (
                <Typography key={m.at} variant="caption" sx={{ position: 'absolute', top: yOf(m.at, viewStart) + 2, right: 6, color: 'text.secondary', whiteSpace: 'nowrap' }}>
                  {m.label}
                </Typography>
              ))}
            </Box>
            <Box data-columns sx={{ position: 'relative', display: 'flex', height }}>
              {/* Hour lines across every column: one element per hour, not per minute. */}
              {data.hourMarks.map((m) => (
                <Box key={m.at} aria-hidden sx={{ position: 'absolute', left: 0, right: 0, top: yOf(m.at, viewStart), borderTop: 1, borderColor: 'divider', pointerEvents: 'none' }} />
              ))}
              {columns.map((c, ci) => (
                <DoctorColumn
                  key={c.id}
                  column={c}
                  index={ci}
                  viewStart={viewStart}
                  height={height}
                  zone={zone ?? data.timeZone}
                  tabStop={tabStop}
                  selected={ghost?.appointment.id ?? null}
                  onFocusItem={setActive}
                  onBook={(at) => book(c, at)}
                  onPointerDown={onPointerDown}
                />
              ))}
              {ghost && (
                <Box
                  aria-hidden
                  sx={{
                    position: 'absolute',
                    left: ghost.column * COLUMN_WIDTH + 4,
                    width: COLUMN_WIDTH - 8,
                    top: yOf(ghost.startAt, viewStart),
                    height: yOf(ghost.startAt + Date.parse(ghost.appointment.endAt) - Date.parse(ghost.appointment.startAt), viewStart) - yOf(ghost.startAt, viewStart),
                    border: '2px dashed #1565c0',
                    bgcolor: 'rgba(21, 101, 192, 0.12)',
                    borderRadius: 1,
                    zIndex: 5,
                    pointerEvents: 'none',
                    px: 0.5,
                    fontSize: 12,
                    fontWeight: 700,
                    color: '#0d2f57',
                    whiteSpace: 'nowrap',
                    overflow: 'hidden',
                    textOverflow: 'ellipsis',
                  }}
                  data-testid="move-ghost"
                >
                  {zone ? clock(ghost.startAt, zone) : ''} → {columns[ghost.column]?.name}
                </Box>
              )}
            </Box>
          </Box>
        </Box>
      )}
      {data && data.notWorking.length > 0 && (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          Not working this day: {data.notWorking.map((d) => d.name).join(', ')}.
        </Typography>
      )}
      {move && zone && (
        <MoveDialog
          move={move}
          zone={zone}
          onClose={() => {
            setMove(null);
            focusItem(`a:${move.appointment.id}`);
          }}
          onMoved={(moved) => {
            setMove(null);
            setNotice(`Moved ${moved.patientName} to ${moved.localStart} with ${moved.doctorName}.`);
            grid.reload();
            setActive(`a:${moved.id}`);
          }}
        />
      )}
      <Snackbar open={Boolean(notice)} autoHideDuration={6000} onClose={() => setNotice(null)} message={notice} />
    </Box>
  );
}

/** One doctor's column: hours shaded, time off hatched, free slots and visits as positioned buttons. */
function DoctorColumn(props: {
  column: Column;
  index: number;
  viewStart: number;
  height: number;
  zone: string;
  tabStop: string | null;
  selected: string | null;
  onFocusItem: (key: string) => void;
  onBook: (at: number) => void;
  onPointerDown: (e: React.PointerEvent, a: Appointment, column: number) => void;
}) {
  const { column: c, viewStart, zone } = props;
  const { lane, count } = lanes(c.appointments);
  const step = c.slotMinutes * PX_PER_MINUTE;
  return (
    <Box role="group" aria-label={`${c.name}${c.status === 'off' ? ', time off all day' : ''}`} sx={{ position: 'relative', width: COLUMN_WIDTH, height: props.height, borderRight: 1, borderColor: 'divider', bgcolor: '#f1f1f1' }}>
      {c.hours.map((h) => (
        <Box key={h.start} aria-hidden sx={{ position: 'absolute', left: 0, right: 0, top: yOf(h.start, viewStart), height: yOf(h.end, viewStart) - yOf(h.start, viewStart), bgcolor: '#ffffff' }} />
      ))}
      {c.timeOff.map((h) => (
        <Box
          key={h.start}
          sx={{
            position: 'absolute',
            left: 0,
            right: 0,
            top: yOf(h.start, viewStart),
            height: yOf(h.end, viewStart) - yOf(h.start, viewStart),
            background: 'repeating-linear-gradient(135deg, #e0e0e0 0 6px, #f5f5f5 6px 12px)',
            color: '#424242',
            fontSize: 12,
            px: 0.75,
            pt: 0.25,
          }}
        >
          Time off {clock(h.start, zone)}–{clock(h.end, zone)}
        </Box>
      ))}
      {c.free.map((f) => {
        const key = `f:${f.startAt}`;
        const at = Date.parse(f.startAt);
        return (
          <Box
            component="button"
            type="button"
            key={key}
            data-key={key}
            tabIndex={props.tabStop === key ? 0 : -1}
            onFocus={() => props.onFocusItem(key)}
            onClick={() => props.onBook(at)}
            aria-label={`${f.localTime} free with ${c.name}: book`}
            sx={{
              position: 'absolute',
              left: 2,
              right: 2,
              top: yOf(at, viewStart) + 1,
              height: Math.max(10, step - 2),
              border: '1px dashed transparent',
              borderRadius: 0.5,
              bgcolor: 'transparent',
              color: '#1b5e20',
              fontSize: 11,
              textAlign: 'left',
              px: 0.5,
              py: 0,
              cursor: 'pointer',
              lineHeight: 1.1,
              overflow: 'hidden',
              '&:hover, &:focus-visible': { borderColor: '#2e7d32', bgcolor: '#e8f5e9' },
              '&:focus-visible': { outline: '3px solid #1565c0', outlineOffset: 1 },
            }}
          >
            {f.localTime} free
          </Box>
        );
      })}
      {c.appointments.map((a) => {
        const key = `a:${a.id}`;
        const style = STATUS[a.status];
        const top = yOf(a.startAt, viewStart);
        const h = Math.max(18, yOf(a.endAt, viewStart) - top);
        const width = (COLUMN_WIDTH - 6) / count;
        return (
          <Box
            component="button"
            type="button"
            key={key}
            data-key={key}
            tabIndex={props.tabStop === key ? 0 : -1}
            onFocus={() => props.onFocusItem(key)}
            onPointerDown={(e: React.PointerEvent) => props.onPointerDown(e, a, props.index)}
            aria-pressed={props.selected === a.id}
            title={`${a.localStart}–${a.localEnd} ${a.patientName} (${a.patientNumber}) · ${a.consultationType} · ${style.label} · ${paymentStatusLabels[a.paymentStatus]} · ${a.locationName}`}
            sx={{
              position: 'absolute',
              top,
              height: h,
              left: 3 + (lane.get(a.id) ?? 0) * width,
              width: width - 1,
              zIndex: 1,
              bgcolor: style.bg,
              color: style.fg,
              border: 'none',
              borderLeft: `5px solid ${style.bar}`,
              borderRadius: 1,
              boxShadow: props.selected === a.id ? '0 0 0 2px #1565c0' : '0 1px 2px rgba(0,0,0,.25)',
              textAlign: 'left',
              fontSize: 12,
              lineHeight: 1.25,
              px: 0.5,
              py: 0.25,
              overflow: 'hidden',
              cursor: a.status === 'booked' ? 'grab' : 'default',
              touchAction: 'none',
              '&:focus-visible': { outline: '3px solid #1565c0', outlineOffset: 1 },
            }}
          >
            <Box component="span" sx={{ display: 'block', fontWeight: 700, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
              {a.localStart} {a.patientName}
            </Box>{' '}
            <Box component="span" sx={{ display: 'block', whiteSpace: h >= 50 ? 'normal' : 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
              {style.label} · {paymentStatusLabels[a.paymentStatus]} · {a.consultationType}
            </Box>
            <Box component="span" sx={visuallyHidden}>
              , until {a.localEnd}
              {a.status === 'booked' ? '. Enter to move' : ''}
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}
