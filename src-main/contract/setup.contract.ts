import { z } from 'zod';
import { isSupportedCountry } from 'libphonenumber-js/min';
import { deskName } from './desk.contract.js';
import { ALL_STAFF, currency, defineHandler, emptyInput, newPassword, requiredText, staffInfo, str, timeZone, username } from './common.js';

/** The first-run checklist's steps, in the order a new clinic needs them. */
export const checklistSteps = ['location', 'specialization', 'consultationType', 'doctor', 'hours', 'booking'] as const;
export type ChecklistStep = (typeof checklistSteps)[number];

export const checklistOutput = z.object({
  steps: z.array(
    z.object({
      key: z.enum(checklistSteps),
      done: z.boolean(),
      /** How many exist (locations, doctors …), for "2 locations". */
      count: z.number().int(),
    }),
  ),
  /** Every step is done: the clinic can take bookings (and the checklist may be dismissed). */
  complete: z.boolean(),
});
export type Checklist = z.infer<typeof checklistOutput>;

export const setupContract = {
  'setup/status': defineHandler({
    summary: 'Whether this database still needs its first-run setup.',
    input: emptyInput,
    output: z.object({
      needsSetup: z.boolean(),
      clinicName: str().nullable(),
      /** This database's desk name (the host name until someone names it). */
      deskName: str(),
      /** The demo clinic's published accounts, so that a new user can sign in. */
      demoAccounts: z.array(z.object({ username: str(), password: str(), role: str() })).nullable(),
      /** Before setup: what the app did at start that whoever sets up must know (an empty database file moved aside). */
      notice: str().nullable(),
    }),
    access: { anonymous: true, staff: ['admin', 'receptionist'], allowLocked: true },
    mutates: false,
  }),
  'setup/initialize': defineHandler({
    summary: 'First run: name the clinic, its time zone, currency and phone country, and create the first admin (signed in at once).',
    input: z.strictObject({
      clinicName: requiredText(120, 'Clinic name'),
      timeZone,
      currency,
      /** The country assumed for phone numbers typed without +country (settings.defaultCountry; US when left out). */
      defaultCountry: str()
        .regex(/^[A-Z]{2}$/, 'Choose the country of most of your patients’ phone numbers.')
        .refine((c) => isSupportedCountry(c), 'Choose a country from the list.')
        .optional(),
      deskName: deskName.optional(),
      admin: z.strictObject({
        username,
        displayName: requiredText(120, 'Name'),
        password: newPassword,
      }),
    }),
    output: z.object({ staff: staffInfo }),
    access: { anonymous: true },
    mutates: true,
  }),
  'setup/checklist': defineHandler({
    summary:
      'The first-run checklist, ticked from real data: a location, a specialization, a consultation type offered by one, a doctor, weekly hours, a first booking.',
    input: emptyInput,
    output: checklistOutput,
    access: { staff: ALL_STAFF },
    mutates: false,
  }),
  'setup/load-demo': defineHandler({
    summary: 'First run: fill a new database with a demo clinic (staff, doctors, patients, appointments).',
    input: emptyInput,
    output: z.object({
      accounts: z.array(z.object({ username: str(), password: str(), role: str() })),
    }),
    access: { anonymous: true },
    mutates: true,
  }),
};
