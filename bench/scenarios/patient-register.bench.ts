/**
 * patient-register: registering a patient at the desk, committed, on a database that
 * already holds 100,000 patients (quick: 10,000) — the FIXTURE_SIZES['100k'] ('10k') file.
 *
 * Every registration is a new person (seeded faker names, a birth date, a phone typed in
 * national format on area codes the fixture never uses, a unique e-mail, an address),
 * with all three record sections: a medical history (a medication, an allergy, a chronic
 * condition), an emergency contact and an insurance. Inputs are built before timing and
 * checked (untimed) to trigger no duplicate warning, so every call commits a new patient.
 *
 * App side, timed as one call: app.dispatch('patient/register', input, staff caller) —
 * session → role check → zod parse of the whole registration → BEGIN IMMEDIATE →
 * registerPatient (phone normalisation, birth date check, findDuplicates: three indexed
 * SELECTs + name similarity, max(number), INSERT patient, DELETE + multi-row INSERT of the
 * search tokens, per section a version SELECT + INSERT patient_section + INSERT
 * patient_section_change + staff-name SELECT, four change envelopes) → zod output parse → audit
 * row → COMMIT. The staff session is created once, before timing, by logging in through
 * app.dispatch.
 *
 * Baseline side, timed as one call, on the app's own connection (app.raw: the same file,
 * WAL and synchronous=FULL, so each COMMIT fsyncs the WAL on both sides) with statements
 * prepared once: BEGIN IMMEDIATE → normalizePhone (both phones) → the same three duplicate
 * SELECTs + similarNames over the birth-date rows → SELECT max(number) → INSERT patient
 * (same columns and values; no access token, as the desk asks for none) → tokensFor() rows
 * INSERTed one by one → INSERT patient_section + patient_section_change for each of the
 * three sections (JSON of the same, fully specified, section objects) → INSERT audit_log →
 * INSERT event ×4 → COMMIT. It skips what a new patient cannot need (the token DELETE, the
 * section version and staff-name SELECTs) and zod: that is the app's overhead.
 *
 * Both sides write to the same table, alternating (order flipping each round), so both
 * always face the same table size. Afterwards every registered patient is checked to have
 * its tokens, three sections and three section changes, and the audit and event rows
 * are counted. Rows: p50/p95/p99; goal (issue): p99 < 5 ms. The stopwatch covers only the
 * call itself on both sides; around it (untimed) each call is attributed: did it run
 * SQLite's automatic WAL checkpoint (the wal-index's nBackfill grew), did a GC pause
 * overlap it — notes.slowCalls, with each side's p99 over the calls without a checkpoint.
 *
 * What-if rows (*_no_autocheckpoint, diagnostic, not the app as shipped): 400 more rounds
 * (quick: 100) with `PRAGMA wal_autocheckpoint = 0` set on the connection, i.e. with the
 * checkpoint taken out of the committing call as proposed in the report; the WAL is
 * checkpointed (TRUNCATE) before and after that phase and the setting restored.
 */
import { rawEventWriter } from '../lib/raw-event.js';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { PerformanceObserver, performance, type PerformanceEntry } from 'node:perf_hooks';
import { fakerEN_US, fakerES_MX } from '@faker-js/faker';
import type Database from 'better-sqlite3';
import { normalizePhone } from '../../src-main/contract/phone.js';
import { similarNames } from '../../src-main/core/patients/duplicates.js';
import { nationalNumberOf } from '../../src-main/core/patients/patient.repository.js';
import { tokensFor } from '../../src-main/core/patients/search-tokens.js';
import { alternate } from '../lib/alternate.js';
import { okData, openSignedIn } from '../lib/app-session.js';
import { copyFixture, ensureFixture, FIXTURE_SIZES } from '../lib/fixtures.js';
import { prng } from '../lib/random.js';
import { percentileRows } from '../lib/result.js';
import { scratchDir, type Scenario } from '../lib/scenario.js';
import { roundValue, summarize } from '../lib/stats.js';
import type { Stopwatch } from '../lib/timer.js';

/** Area codes the fixture's patients never have, so no phone can match an existing one. */
const AREA_CODES = [208, 307, 406, 605, 701];

interface Registration {
  basic: {
    givenName: string;
    familyName: string;
    dateOfBirth: string;
    sex: 'female' | 'male';
    gender: string;
    phone: string;
    email: string;
    address: { line1: string; line2: string; city: string; region: string; postalCode: string; country: string; latitude: null; longitude: null };
    preferredLanguage: string;
    consentEmail: boolean;
    consentSms: boolean;
  };
  medicalHistory: {
    previousConsultations: Array<{ date: string; clinicOrDoctor: string; reason: string; notes: string }>;
    medications: Array<{ name: string; dose: string; frequency: string }>;
    allergies: Array<{ substance: string; reaction: string; severity: 'mild' | 'moderate' | 'severe' | 'life_threatening' | 'unknown' }>;
    chronicConditions: Array<{ name: string; notes: string }>;
    familyHistory: Array<{ relative: string; condition: string }>;
  };
  emergencyContact: { name: string; relationship: string; phone: string };
  insurance: { provider: string; policyNumber: string; groupNumber: string; holderName: string; validFrom: string; validTo: string };
  overrideDuplicates: false;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Registrations i = 0..count-1, none a likely duplicate of the database's patients or of each other. */
function buildRegistrations(raw: Database.Database, count: number, seed: number): Registration[] {
  const random = prng(seed);
  fakerEN_US.seed(seed);
  fakerES_MX.seed(seed + 1);
  const sameBirth = raw.prepare('select given_name, family_name from patient where date_of_birth = ?');
  const ours = new Map<string, Array<{ given: string; family: string }>>();
  // Unique, valid phones: area code, exchange and line number counted up (N11 exchanges and
  // other numbers libphonenumber refuses are skipped).
  let phoneCounter = 0;
  const nextPhone = (): string => {
    for (;;) {
      const c = phoneCounter++;
      const area = AREA_CODES[c % AREA_CODES.length]!;
      const exchange = 200 + (Math.floor(c / AREA_CODES.length) % 800);
      const line = 1000 + Math.floor(c / (AREA_CODES.length * 800));
      const phone = `(${area}) ${exchange}-${pad(line, 4)}`;
      if (normalizePhone(phone, 'US')) return phone;
    }
  };
  const out: Registration[] = [];
  while (out.length < count) {
    const f = random() < 0.75 ? fakerEN_US : fakerES_MX;
    const sex = random() < 0.5 ? 'female' : 'male';
    const given = f.person.firstName(sex);
    const family = f.person.lastName();
    const dob = new Date(Date.UTC(1935, 0, 1) + Math.floor(random() * 32_000) * 86_400_000).toISOString().slice(0, 10);
    const others = [...(sameBirth.all(dob) as Array<{ given_name: string; family_name: string }>).map((r) => ({ given: r.given_name, family: r.family_name })), ...(ours.get(dob) ?? [])];
    if (others.some((o) => similarNames({ given, family }, o))) continue;
    ours.set(dob, [...(ours.get(dob) ?? []), { given, family }]);
    const n = out.length;
    const phone = nextPhone();
    const contactPhone = nextPhone();
    out.push({
      basic: {
        givenName: given,
        familyName: family,
        dateOfBirth: dob,
        sex,
        gender: '',
        phone,
        email: `${given}.${family}.${seed}.${n}@register.example`.toLowerCase().replace(/[^a-z0-9.@]/g, ''),
        address: {
          line1: `${1 + Math.floor(random() * 9000)} ${fakerEN_US.location.street()}`,
          line2: '',
          city: fakerEN_US.location.city(),
          region: fakerEN_US.location.state({ abbreviated: true }),
          postalCode: fakerEN_US.location.zipCode('#####'),
          country: 'US',
          latitude: null,
          longitude: null,
        },
        preferredLanguage: f === fakerES_MX ? 'es' : 'en',
        consentEmail: random() < 0.7,
        consentSms: random() < 0.6,
      },
      medicalHistory: {
        previousConsultations: [{ date: '2024-05-14', clinicOrDoctor: 'Riverside Medical Group', reason: 'Annual check-up', notes: '' }],
        medications: [{ name: 'Lisinopril', dose: '10 mg', frequency: 'once daily' }],
        allergies: [{ substance: 'Penicillin', reaction: 'Rash', severity: 'moderate' }],
        chronicConditions: [{ name: 'Hypertension', notes: 'Diagnosed 2019' }],
        familyHistory: [{ relative: 'Mother', condition: 'Type 2 diabetes' }],
      },
      emergencyContact: { name: `${fakerEN_US.person.firstName()} ${family}`, relationship: 'Spouse', phone: contactPhone },
      insurance: { provider: 'Blue Shield', policyNumber: `BS${pad(seed % 1000, 3)}${pad(n, 7)}`, groupNumber: 'G-2210', holderName: `${given} ${family}`, validFrom: '2025-01-01', validTo: '2026-12-31' },
      overrideDuplicates: false,
    });
  }
  return out;
}

/** The baseline: the same rows, raw, in one immediate transaction. */
function rawRegistrar(raw: Database.Database, staffId: string, nowIso: string) {
  const columns = ['id', 'number', 'given_name', 'family_name', 'date_of_birth', 'phone_e164', 'email'].map((c) => `"${c}"`).join(', ');
  const s = {
    begin: raw.prepare('BEGIN IMMEDIATE'),
    commit: raw.prepare('COMMIT'),
    rollback: raw.prepare('ROLLBACK'),
    byBirth: raw.prepare(`select ${columns} from "patient" where "date_of_birth" = ? limit ?`),
    byPhone: raw.prepare(`select ${columns} from "patient" where "phone_e164" = ? limit ?`),
    byEmail: raw.prepare(`select ${columns} from "patient" where "email" = ? limit ?`),
    maxNumber: raw.prepare('select coalesce(max("number"), 0) as "n" from "patient"').pluck(),
    patient: raw.prepare(
      `insert into "patient" ("id", "given_name", "family_name", "date_of_birth", "sex", "gender", "phone_e164", "email", "address_line1",
        "address_line2", "city", "region", "postal_code", "country", "latitude", "longitude", "preferred_language", "consent_email",
        "consent_sms", "access_token_hash", "duplicate_override_by", "duplicate_override_at", "created_at", "created_by_kind",
        "created_by", "updated_at", "number", "version") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    token: raw.prepare('insert into "patient_search_token" ("token", "patient_id") values (?, ?)'),
    section: raw.prepare('insert into "patient_section" ("patient_id", "section", "data", "version", "updated_at", "updated_by") values (?, ?, ?, ?, ?, ?)'),
    change: raw.prepare(
      'insert into "patient_section_change" ("patient_id", "section", "version", "data", "changed_at", "changed_by_kind", "changed_by") values (?, ?, ?, ?, ?, ?, ?)',
    ),
    audit: raw.prepare(
      'insert into "audit_log" ("at", "actor_kind", "actor_id", "handler", "record_type", "record_id", "outcome", "detail") values (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
  };
  const event = rawEventWriter(raw);
  return (input: Registration): string => {
    const patientId = randomUUID();
    s.begin.run();
    try {
      const b = input.basic;
      const phone = normalizePhone(b.phone, 'US');
      const contactPhone = normalizePhone(input.emergencyContact.phone, 'US');
      if (!phone || !contactPhone) throw new Error('baseline: invalid phone');
      const email = b.email.toLowerCase();
      const matches = [
        ...(s.byBirth.all(b.dateOfBirth, 500) as Array<{ given_name: string; family_name: string }>).filter((r) =>
          similarNames({ given: b.givenName, family: b.familyName }, { given: r.given_name, family: r.family_name }),
        ),
        ...s.byPhone.all(phone.e164, 20),
        ...s.byEmail.all(email, 20),
      ];
      if (matches.length > 0) throw new Error('baseline: possible duplicate');
      const number = (s.maxNumber.get() as number) + 1;
      // Like the app: a desk registration issues no access token unless asked (0006).
      s.patient.run(
        patientId, b.givenName, b.familyName, b.dateOfBirth, b.sex, b.gender || null, phone.e164, email, b.address.line1,
        b.address.line2, b.address.city, b.address.region, b.address.postalCode, b.address.country, b.address.latitude, b.address.longitude,
        b.preferredLanguage, b.consentEmail ? 1 : 0, b.consentSms ? 1 : 0, null,
        null, null, nowIso, 'staff', staffId, nowIso, number, 1,
      );
      for (const token of tokensFor({ givenName: b.givenName, familyName: b.familyName, dateOfBirth: b.dateOfBirth, phoneE164: phone.e164, phoneNational: nationalNumberOf(phone.e164), email })) {
        s.token.run(token, patientId);
      }
      const sections: Array<[string, unknown]> = [
        ['medical_history', input.medicalHistory],
        ['emergency_contact', { ...input.emergencyContact, phone: contactPhone.e164 }],
        ['insurance', input.insurance],
      ];
      for (const [section, data] of sections) {
        const json = JSON.stringify(data);
        s.section.run(patientId, section, json, 1, nowIso, staffId);
        s.change.run(patientId, section, 1, json, nowIso, 'staff', staffId);
      }
      // One change envelope per record: the patient (no token hash in it) and its three sections.
      event(nowIso, 'patient', patientId, { id: patientId, number, given_name: b.givenName, family_name: b.familyName, date_of_birth: b.dateOfBirth, sex: b.sex, phone_e164: phone.e164, email, created_at: nowIso, version: 1 }, staffId, patientId, null);
      for (const [section, data] of sections) event(nowIso, 'patient_section', `${patientId}:${section}`, { patient_id: patientId, section, data: JSON.stringify(data), version: 1 }, staffId, patientId, null);
      s.audit.run(nowIso, 'staff', staffId, 'patient/register', 'patient', patientId, 'ok', null);
      s.commit.run();
      return patientId;
    } catch (err) {
      if (raw.inTransaction) s.rollback.run();
      throw err;
    }
  };
}

export const patientRegister: Scenario = {
  name: 'patient-register',
  summary: 'patient/register committed (validation, duplicate check, tokens, sections, audit, change envelopes) on 100,000 patients (quick: 10,000).',
  async run({ quick, log, usedFixture }) {
    const fixture = await ensureFixture(quick ? FIXTURE_SIZES['10k'] : FIXTURE_SIZES['100k'], log);
    usedFixture(fixture);
    const scratch = scratchDir('patient-register');
    copyFixture(fixture, scratch.dir);
    const { app, caller } = await openSignedIn(fixture, scratch.dir, log);
    try {
      const iterations = quick ? 200 : 1000;
      const warmup = quick ? 10 : 20;
      const whatIfIterations = quick ? 100 : 400;
      const total = iterations + warmup + whatIfIterations;
      // App and baseline inputs are drawn from one list (even: app, odd: baseline), so no two collide.
      const inputs = buildRegistrations(app.raw, 2 * total, 4242);
      let phaseOffset = 0;
      const inputOf = (side: 0 | 1, i: number) => inputs[2 * (phaseOffset + (i >= 0 ? warmup + i : -1 - i)) + side]!;
      const register = rawRegistrar(app.raw, fixture.staff.id, fixture.now);
      const registered: string[] = [];

      // Attribution of slow calls (untimed): did the call run a WAL checkpoint (the
      // wal-index's nBackfill, at byte 96 of the -shm file, grew), did a GC pause overlap it?
      const shm = openSync(`${app.dbFile}-shm`, 'r');
      const header = Buffer.alloc(100);
      const backfilled = () => (readSync(shm, header, 0, 100, 0) === 100 ? header.readUInt32LE(96) : 0);
      const gcPauses: Array<[number, number]> = [];
      const addGc = (entries: PerformanceEntry[]) => {
        for (const e of entries) gcPauses.push([e.startTime, e.startTime + e.duration]);
      };
      const gcObserver = new PerformanceObserver((list) => addGc(list.getEntries()));
      gcObserver.observe({ entryTypes: ['gc'] });
      type Call = { ms: number; checkpoint: boolean; start: number; end: number };
      const calls = { app: [] as Call[], baseline: [] as Call[] };
      const timed = async (side: 'app' | 'baseline', sw: Stopwatch, i: number, fn: () => unknown) => {
        const before = backfilled();
        const start = performance.now();
        sw.start();
        await fn();
        sw.stop();
        const end = performance.now();
        if (i >= 0) calls[side].push({ ms: end - start, checkpoint: backfilled() > before, start, end });
      };
      const appSide = (sw: Stopwatch, i: number) =>
        timed('app', sw, i, async () => {
          const out = await app.dispatch('patient/register', inputOf(0, i), caller);
          registered.push(okData<{ patientId: string }>('patient/register', out).patientId);
        });
      const baseSide = (sw: Stopwatch, i: number) => timed('baseline', sw, i, () => registered.push(register(inputOf(1, i))));
      const before = {
        patients: app.raw.prepare('select count(*) from patient').pluck().get() as number,
        audit: app.raw.prepare("select count(*) from audit_log where handler = 'patient/register'").pluck().get() as number,
        outbox: app.raw.prepare("select count(*) from event where entity = 'patient'").pluck().get() as number,
      };
      log(`  ${iterations} alternating registrations (+${warmup} warm-up) per side on ${before.patients.toLocaleString('en-US')} patients, synchronous=FULL`);
      const samples = await alternate(appSide, baseSide, iterations, { warmup });
      const mainCalls = { app: calls.app.splice(0), baseline: calls.baseline.splice(0) };

      // What-if (diagnostic rows *_no_autocheckpoint): the same registrations with SQLite's
      // automatic WAL checkpoint switched off on the connection (PRAGMA wal_autocheckpoint = 0),
      // i.e. with the checkpoint moved out of the committing call, as proposed in the report.
      app.raw.pragma('wal_checkpoint(TRUNCATE)');
      const autocheckpoint = app.raw.pragma('wal_autocheckpoint', { simple: true }) as number;
      app.raw.pragma('wal_autocheckpoint = 0');
      phaseOffset = iterations; // inputs iterations + warmup + i: the ones after the main phase
      const whatIf = await alternate(appSide, baseSide, whatIfIterations, { warmup: 0 });
      // PASSIVE reports the WAL's frame count (TRUNCATE reports 0 after resetting it).
      const walPagesWithoutCheckpoint = (app.raw.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>)[0]?.log ?? null;
      app.raw.pragma('wal_checkpoint(TRUNCATE)');
      app.raw.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
      // GC entries are delivered on a later event-loop turn: let it come.
      await new Promise((resolve) => setTimeout(resolve, 20));
      addGc(gcObserver.takeRecords());
      gcObserver.disconnect();
      closeSync(shm);
      // Of the main phase's calls: how many ran the checkpoint, how the rest are distributed,
      // and which of the slowest (above 3 ms) a GC pause overlapped.
      const attribution = (list: Call[]) => {
        const plain = list.filter((c) => !c.checkpoint).map((c) => c.ms);
        const slow = list.filter((c) => c.ms > 3);
        const gcOverlap = (c: Call) => gcPauses.some(([s, e]) => s < c.end && e > c.start);
        return {
          calls: list.length,
          ranCheckpoint: list.filter((c) => c.checkpoint).length,
          checkpointCallP50Ms: list.some((c) => c.checkpoint) ? roundValue(summarize(list.filter((c) => c.checkpoint).map((c) => c.ms)).p50) : null,
          withoutCheckpointP99Ms: plain.length > 0 ? roundValue(summarize(plain).p99) : null,
          slowOver3Ms: slow.length,
          slowWithCheckpoint: slow.filter((c) => c.checkpoint).length,
          slowWithGcPause: slow.filter((c) => !c.checkpoint && gcOverlap(c)).length,
          slowOther: slow.filter((c) => !c.checkpoint && !gcOverlap(c)).length,
        };
      };
      const slowCalls = { app: attribution(mainCalls.app), baseline: attribution(mainCalls.baseline) };
      const gcMs = summarize(gcPauses.length > 0 ? gcPauses.map(([s, e]) => e - s) : [0]);

      // Every registration left its rows (untimed).
      const counts = app.raw.prepare(
        `select (select count(*) from patient_search_token where patient_id = ?) as tokens,
                (select count(*) from patient_section where patient_id = ?) as sections,
                (select count(*) from patient_section_change where patient_id = ?) as changes`,
      );
      const bad = registered.filter((id) => {
        const c = counts.get(id, id, id) as { tokens: number; sections: number; changes: number };
        return c.tokens < 5 || c.sections !== 3 || c.changes !== 3;
      });
      const after = {
        patients: app.raw.prepare('select count(*) from patient').pluck().get() as number,
        audit: app.raw.prepare("select count(*) from audit_log where handler = 'patient/register'").pluck().get() as number,
        outbox: app.raw.prepare("select count(*) from event where entity = 'patient'").pluck().get() as number,
      };
      const added = { patients: after.patients - before.patients, audit: after.audit - before.audit, outbox: after.outbox - before.outbox };
      const expected = 2 * (iterations + warmup + whatIfIterations);
      if (bad.length > 0 || added.patients !== expected || added.audit !== expected || added.outbox !== expected) {
        throw new Error(`patient-register: rows missing: ${bad.length} incomplete patients, added ${JSON.stringify(added)}, expected ${expected} each`);
      }
      const sync = app.raw.pragma('synchronous', { simple: true });
      const journal = app.raw.pragma('journal_mode', { simple: true });

      return {
        rows: [
          ...percentileRows('patient-register', samples, ['p50', 'p95', 'p99']),
          ...percentileRows('patient-register', whatIf, ['p95', 'p99']).map((r) => ({ ...r, metric: `${r.metric}_no_autocheckpoint` })),
        ],
        notes: {
          fixture: fixture.key,
          patientsBefore: before.patients,
          patientsAfter: after.patients,
          iterations,
          warmup,
          pragmas: { synchronous: sync, journal_mode: journal, wal_autocheckpoint: autocheckpoint },
          slowCalls,
          gcPauses: { count: gcPauses.length, p50Ms: roundValue(gcMs.p50), maxMs: roundValue(gcMs.max) },
          whatIf: { iterations: whatIfIterations, walPagesWrittenWithoutCheckpoint: walPagesWithoutCheckpoint, pagesPerRegistration: walPagesWithoutCheckpoint === null ? null : Math.round(walPagesWithoutCheckpoint / (2 * whatIfIterations)) },
          samplesMs: { app: samples.app.map((v) => Math.round(v * 1000) / 1000), baseline: samples.baseline.map((v) => Math.round(v * 1000) / 1000) },
        },
      };
    } finally {
      await app.close();
      scratch.remove();
    }
  },
};
