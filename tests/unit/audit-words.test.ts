import { describe, expect, it } from 'vitest';
import { contract } from '../../src-main/contract/index.js';
import { AUDIT_KINDS } from '../../src-main/contract/audit.contract.js';
import { AUDIT_WORDS } from '../../src-main/core/audit/audit-words.js';
import { auditSentence, whenInWords } from '../../src-main/core/audit/audit.service.js';
import { FOLLOW_UP_AUDIT } from '../../src-main/core/payments/stripe-follow-up.js';
import { EMPTY_DATABASE_AUDIT } from '../../src-main/core/db/empty-file.js';

/** Every name the audit log can hold: each handler (refusals of reads are audited too) and the app's own rows. */
const AUDITED = [...Object.keys(contract), FOLLOW_UP_AUDIT, EMPTY_DATABASE_AUDIT.handler];
const RAW_NAME = /\b[a-z]+\/[a-z-]+\b/;

describe('the audit log in words', () => {
  it('has words for every audited handler, and none is said by its raw name', () => {
    const missing = AUDITED.filter((name) => !AUDIT_WORDS[name]);
    expect(missing, `no words for: ${missing.join(', ')}`).toEqual([]);
    for (const name of AUDITED) {
      for (const outcome of ['ok', 'denied', 'invalid', 'error']) {
        for (const subject of [null, 'Ana Ruiz']) {
          const sentence = auditSentence({ actor: 'Robin Reception', handler: name, outcome, subject, detail: null, count: 1 });
          expect(sentence, name).not.toMatch(RAW_NAME);
          expect(sentence, name).not.toContain(name);
          expect(sentence.startsWith('Robin Reception '), sentence).toBe(true);
          expect(sentence).not.toMatch(/\s{2}|\s[,:]|:$/);
        }
      }
    }
  });

  it('puts every handler in one of the kinds the screen filters by', () => {
    for (const [name, words] of Object.entries(AUDIT_WORDS)) expect(AUDIT_KINDS, name).toContain(words.kind);
  });

  it('has no words for names that no longer exist', () => {
    expect(Object.keys(AUDIT_WORDS).filter((name) => !AUDITED.includes(name))).toEqual([]);
  });

  it('says who did what to whom, with the reason, and a refusal as a refusal', () => {
    expect(
      auditSentence({
        actor: 'Robin Reception',
        handler: 'appointment/cancel',
        outcome: 'ok',
        subject: `Ana Ruiz’s appointment of ${whenInWords('2026-03-03T09:15:00.000Z', 'Europe/London')}`,
        detail: 'reason: feeling better',
        count: 1,
      }),
    ).toBe('Robin Reception cancelled Ana Ruiz’s appointment of Tue 3 Mar 09:15 (reason: feeling better)');
    expect(
      auditSentence({ actor: 'Someone not signed in (from 10.0.0.9)', handler: 'patient/get', outcome: 'denied', subject: null, detail: 'auth forbidden', count: 3 }),
    ).toBe('Someone not signed in (from 10.0.0.9) tried to open the record of a patient, and was refused (3 attempts) (why: auth forbidden)');
    expect(auditSentence({ actor: 'Alex Admin', handler: 'settings/update', outcome: 'ok', subject: null, detail: 'hold minutes', count: 1 })).toBe(
      'Alex Admin changed the settings (hold minutes)',
    );
  });

  it('keeps hostile text on one line', () => {
    const s = auditSentence({ actor: 'Robin', handler: 'appointment/cancel', outcome: 'ok', subject: 'X', detail: 'reason: a\nb\r\nc', count: 1 });
    expect(s).not.toMatch(/[\r\n]/);
  });
});
