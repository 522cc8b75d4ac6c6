import type { HandlerName, OutputOf, ParsedInputOf } from './contract/index.js';
import type { Ctx } from './core/context.js';
import { agendaDay } from './core/agenda/agenda.service.js';
import { listAudit } from './core/audit/audit.service.js';
import { loadSettings, writeSettings } from './core/settings/settings.service.js';
import { initializeClinic, loadDemo, setupStatus } from './core/setup/setup.service.js';
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
};
