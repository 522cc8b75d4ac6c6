import type { HandlerName, OutputOf, ParsedInputOf } from './contract/index.js';
import type { Ctx } from './core/context.js';
import { agendaDay } from './core/agenda/agenda.service.js';
import { listAudit } from './core/audit/audit.service.js';
import { loadSettings, writeSettings } from './core/settings/settings.service.js';
import { initializeClinic, loadDemo, setupStatus } from './core/setup/setup.service.js';
import {
  checkDuplicates,
  getProfile,
  registerPatient,
  sectionHistory,
  updateBasic,
  updateSection,
} from './core/patients/patient.service.js';
import { searchPatients } from './core/patients/patient-search.js';
import { createStaff, listStaff, login, sessionInfo, unlock } from './core/staff/staff.service.js';

type Implementation<K extends HandlerName> = (ctx: Ctx, input: ParsedInputOf<K>) => Promise<OutputOf<K>>;
export type Implementations = { [K in HandlerName]: Implementation<K> };

/** Every handler of the contract, mapped to its core service. The compiler checks both ways. */
export const implementations: Implementations = {
  'setup/status': (ctx) => setupStatus(ctx),
  'setup/initialize': (ctx, input) => initializeClinic(ctx, input),
  'setup/load-demo': (ctx) => loadDemo(ctx),
  'auth/login': (ctx, input) => login(ctx, input),
  'auth/logout': async (ctx) => {
    ctx.session.end();
    return { ok: true as const };
  },
  'auth/session': (ctx) => sessionInfo(ctx),
  'auth/lock': async (ctx) => {
    ctx.session.lock();
    return { ok: true as const };
  },
  'auth/unlock': (ctx, input) => unlock(ctx, input),
  'staff/list': (ctx) => listStaff(ctx),
  'staff/create': async (ctx, input) => ({ staff: await createStaff(ctx, input) }),
  'settings/get': (ctx) => loadSettings(ctx.db),
  'settings/update': (ctx, input) => writeSettings(ctx, input),
  'audit/list': (ctx, input) => listAudit(ctx, input),
  'agenda/day': (ctx, input) => agendaDay(ctx, input),
  'patient/register': (ctx, input) => registerPatient(ctx, input),
  'patient/check-duplicates': (ctx, input) => checkDuplicates(ctx, input),
  'patient/search': (ctx, input) => searchPatients(ctx.db, input.query, input.limit, ctx.settings.defaultCountry),
  'patient/get': (ctx, input) => getProfile(ctx, input),
  'patient/update-basic': (ctx, input) => updateBasic(ctx, input),
  'patient/update-medical-history': (ctx, input) => updateSection(ctx, input, 'medical_history'),
  'patient/update-emergency-contact': (ctx, input) => updateSection(ctx, input, 'emergency_contact'),
  'patient/update-insurance': (ctx, input) => updateSection(ctx, input, 'insurance'),
  'patient/section-history': (ctx, input) => sectionHistory(ctx, input),
};
