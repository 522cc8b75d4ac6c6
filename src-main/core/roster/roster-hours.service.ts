/** A doctor's weekly hours and dated exceptions (time off, extra hours), with the affected-bookings check. */
import type { z } from 'zod';
import type { exceptionInput, WeeklyIntervalInput } from '../../contract/roster.contract.js';
import { nowIso, type Ctx } from '../context.js';
import { notFound, type FieldErrors } from '../errors.js';
import { addDays, todayIn } from '../time/time.js';
import { findAffected } from './affected-bookings.service.js';
import { extraHoursConflict, weeklyClashes, weeklyLocationErrors, zoneCity, type Place } from './hours.rules.js';
import { formatSpan, formatWeeklySpan } from '../../contract/roster-intervals.js';
import { locationMap, requireDoctor, throwIfAny, type Plan } from './roster-plan.js';
import { replaceWeeklyHours } from './weekly-hours.repository.js';

type ExceptionInput = Omit<z.output<typeof exceptionInput>, 'acknowledgeAffected'>;
const MAX_RANGE_DAYS = 366;

export async function planWeeklyHours(ctx: Ctx, input: { doctorId: string; hours: WeeklyIntervalInput[] }): Promise<Plan<{ id: string }>> {
  const doctor = await requireDoctor(ctx.db, input.doctorId);
  const locations = await locationMap(ctx.db);
  throwIfAny(weeklyLocationErrors(input.hours, (id) => locations.get(id)));
  const place = (id: string): Place | undefined => locations.get(id);
  const today = todayIn(ctx.settings.timeZone, ctx.clock.now());
  // Hours at different locations may lie in different zones: judged on real instants, from yesterday (night hours) on.
  throwIfAny(weeklyClashes(input.hours, place, addDays(today, -1)));
  throwIfAny(await extraHoursClashes(ctx, doctor.id, input.hours, place, today));
  const hours = [...input.hours].sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute);
  const affected = await findAffected(ctx, { doctorId: doctor.id }, (s) => {
    const d = s.doctors.get(doctor.id);
    if (d) d.weekly = hours.map((h) => ({ ...h }));
  });
  return {
    affected,
    recordType: 'doctor',
    async commit() {
      await replaceWeeklyHours(ctx, doctor.id, hours);
      ctx.auditRecord('doctor', doctor.id);
      return { id: doctor.id };
    },
  };
}

/** Future extra hours at another location that the new weekly hours would overlap, on the weekly interval. */
async function extraHoursClashes(ctx: Ctx, doctorId: string, hours: WeeklyIntervalInput[], place: (id: string) => Place | undefined, today: string): Promise<FieldErrors> {
  const extras = await ctx.db
    .selectFrom('schedule_exception')
    .selectAll()
    .where('doctor_id', '=', doctorId)
    .where('kind', '=', 'extra_hours')
    .where('date', '>=', addDays(today, -1))
    .orderBy('date')
    .execute();
  const errors: FieldErrors = {};
  for (const e of extras) {
    if (!e.location_id) continue;
    hours.forEach((h, i) => {
      const key = `hours.${i}.startMinute`;
      if (errors[key] || h.locationId === e.location_id) return;
      const conflict = extraHoursConflict({ date: e.date, locationId: e.location_id!, startMinute: e.start_minute, endMinute: e.end_minute }, [h], [], place);
      const here = place(h.locationId);
      const there = place(e.location_id!);
      if (conflict && here && there) {
        errors[key] = [
          `${formatWeeklySpan(h.weekday, h.startMinute, h.endMinute)} at ${here.name} (${zoneCity(here.zone)}) overlaps the extra hours of ${e.date}, ${formatSpan(e.start_minute, e.end_minute)} at ${there.name} (${zoneCity(there.zone)}): a doctor cannot be in two places at once. Remove those extra hours first.`,
        ];
      }
    });
  }
  return errors;
}

function datesOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length <= MAX_RANGE_DAYS; d = addDays(d, 1)) out.push(d);
  return out;
}

export async function planAddException(ctx: Ctx, input: ExceptionInput): Promise<Plan<{ id: string; ids: string[] }>> {
  const doctor = await requireDoctor(ctx.db, input.doctorId);
  const locations = await locationMap(ctx.db);
  const errors: FieldErrors = {};
  const place = input.locationId ? locations.get(input.locationId) : undefined;
  if (input.locationId && !place) errors.locationId = ['Unknown location.'];
  else if (place && !place.active) errors.locationId = [`${place.name} is inactive.`];
  if (input.date < todayIn(ctx.settings.timeZone, ctx.clock.now())) errors.date = ['The date is in the past.'];
  const dates = datesOf(input.date, input.dateTo ?? input.date);
  if (dates.length > MAX_RANGE_DAYS) errors.dateTo = [`At most ${MAX_RANGE_DAYS} days at once.`];
  throwIfAny(errors);

  if (input.kind === 'extra_hours') {
    const [weekly, existing] = await Promise.all([
      ctx.db.selectFrom('working_hours').selectAll().where('doctor_id', '=', doctor.id).execute(),
      ctx.db.selectFrom('schedule_exception').selectAll().where('doctor_id', '=', doctor.id).where('date', 'in', dates).execute(),
    ]);
    const place = (id: string): Place | undefined => locations.get(id);
    for (const date of dates) {
      const conflict = extraHoursConflict(
        { date, locationId: input.locationId!, startMinute: input.startMinute, endMinute: input.endMinute },
        weekly.map((w) => ({ locationId: w.location_id, weekday: w.weekday, startMinute: w.start_minute, endMinute: w.end_minute })),
        existing.map((e) => ({ locationId: e.location_id, kind: e.kind, date: e.date, startMinute: e.start_minute, endMinute: e.end_minute })),
        place,
      );
      if (conflict) throwIfAny({ startMinute: [dates.length > 1 ? `${date}: ${conflict}` : conflict] });
    }
  }

  const rows = dates.map((date) => ({
    id: ctx.newId(),
    doctor_id: doctor.id,
    location_id: input.locationId,
    kind: input.kind,
    date,
    start_minute: input.startMinute,
    end_minute: input.endMinute,
    reason: input.reason,
  }));
  const affected =
    input.kind === 'time_off'
      ? await findAffected(ctx, { doctorId: doctor.id }, (s) => {
          const d = s.doctors.get(doctor.id);
          for (const r of rows) {
            d?.exceptions.push({ id: r.id, locationId: r.location_id, kind: r.kind, date: r.date, startMinute: r.start_minute, endMinute: r.end_minute });
          }
        })
      : [];
  return {
    affected,
    recordType: 'doctor',
    async commit() {
      const at = nowIso(ctx);
      const by = ctx.actor.kind === 'staff' ? ctx.actor.id : null;
      await ctx.db
        .insertInto('schedule_exception')
        .values(rows.map((r) => ({ ...r, created_at: at, created_by: by })))
        .execute();
      ctx.auditRecord('doctor', doctor.id);
      return { id: doctor.id, ids: rows.map((r) => r.id) };
    },
  };
}

export async function planRemoveException(ctx: Ctx, input: { exceptionId: string }): Promise<Plan<{ id: string }>> {
  const ex = await ctx.db.selectFrom('schedule_exception').selectAll().where('id', '=', input.exceptionId).executeTakeFirst();
  if (!ex) throw notFound('The time off or extra hours');
  // Removing time off only adds working time; removing extra hours may strand bookings in them.
  const affected =
    ex.kind === 'extra_hours'
      ? await findAffected(ctx, { doctorId: ex.doctor_id }, (s) => {
          const d = s.doctors.get(ex.doctor_id);
          if (d) d.exceptions = d.exceptions.filter((e) => e.id !== ex.id);
        })
      : [];
  return {
    affected,
    recordType: 'doctor',
    async commit() {
      await ctx.db.deleteFrom('schedule_exception').where('id', '=', ex.id).execute();
      ctx.auditRecord('doctor', ex.doctor_id);
      return { id: ex.doctor_id };
    },
  };
}
