import { useEffect, useState } from 'react';
import { api, type AppError, type AppointmentPrice, type AppointmentView, type ClinicInfo, type Hold, type PricePreview, type Slot } from './api.js';
import { cityOf, formatDate, formatTime, money } from './format.js';
import { useT } from './i18n/index.js';
import { Alert, BackButton, Field, StepHeading, errorText } from './ui.js';

export function PriceTable({ price, locale }: { price: AppointmentPrice; locale: string }) {
  const { t } = useT();
  return (
    <dl className="price">
      <div>
        <dt>{t('price')}</dt>
        <dd>{money(price.baseMinor, price.currency, locale)}</dd>
      </div>
      {price.discountMinor > 0 && (
        <div>
          <dt>{t('discount', { code: price.referralCode ?? '' })}</dt>
          <dd>−{money(price.discountMinor, price.currency, locale)}</dd>
        </div>
      )}
      <div className="price-total">
        <dt>{t('total')}</dt>
        <dd>{money(price.totalMinor, price.currency, locale)}</dd>
      </div>
    </dl>
  );
}

/** The shortest referral code there is: shorter text is not sent (it cannot be one). */
const MIN_CODE = 3;
const CHECK_AFTER_MS = 450;

/**
 * The referral code checked as it is typed (debounced) against the patient's own hold: the
 * price with the discount, or why the code cannot be used. Only the latest answer counts.
 */
function useCodePreview(holdId: string, code: string): { preview: PricePreview | null; failed: AppError | null; checking: boolean } {
  const [state, setState] = useState<{ key: string; preview: PricePreview | null; failed: AppError | null }>({ key: '', preview: null, failed: null });
  const typed = code.trim();
  const key = `${holdId}\n${typed}`;
  useEffect(() => {
    if (typed.length < MIN_CODE) return;
    let live = true;
    const timer = setTimeout(() => {
      void api.pricePreview(holdId, typed).then((outcome) => {
        if (!live) return;
        setState(outcome.ok ? { key, preview: outcome.data, failed: null } : { key, preview: null, failed: outcome.error });
      });
    }, CHECK_AFTER_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [holdId, typed, key]);
  if (typed.length < MIN_CODE) return { preview: null, failed: null, checking: false };
  if (state.key !== key) return { preview: null, failed: null, checking: true };
  return { preview: state.preview, failed: state.failed, checking: false };
}

export const locationOf = (clinic: ClinicInfo, locationId: string) => clinic.locations.find((l) => l.id === locationId);

/** Review: what, when, with whom, where, the price; an optional referral code; pay now or at the desk. */
export function ReviewStep(props: {
  clinic: ClinicInfo;
  typeId: string;
  slot: Slot;
  hold: Hold;
  code: string;
  onCode: (code: string) => void;
  codeError: string[] | undefined;
  error: AppError | null;
  busy: boolean;
  onBook: (payNow: boolean) => void;
  onChangeTime: () => void;
}) {
  const { t, locale } = useT();
  const { clinic, slot, hold } = props;
  const type = clinic.consultationTypes.find((c) => c.id === props.typeId);
  const location = locationOf(clinic, slot.locationId);
  const zone = location?.timeZone ?? clinic.timeZone;
  const { preview, failed, checking } = useCodePreview(hold.holdId, props.code);
  // The price booking will charge: the hold's, or with the code's discount once it is checked good.
  // A refusal at booking (the last use taken meanwhile) outranks an earlier good check.
  const price = preview?.valid && !props.codeError ? preview.price : hold.price;
  const codeError = props.codeError ?? (preview && !preview.valid && preview.message ? [preview.message] : failed ? [errorText(failed, t)] : undefined);
  return (
    <section>
      <BackButton onClick={props.onChangeTime} />
      <StepHeading>{t('reviewTitle')}</StepHeading>
      <dl className="summary">
        <div>
          <dt>{t('what')}</dt>
          <dd>{type?.name}</dd>
        </div>
        <div>
          <dt>{t('when')}</dt>
          <dd>
            {formatDate(slot.startAt, zone, locale)}, {formatTime(slot.startAt, zone, locale)}
            <br />
            <span className="hint">{t('timesIn', { city: cityOf(zone) })}</span>
          </dd>
        </div>
        <div>
          <dt>{t('with')}</dt>
          <dd>{slot.doctorName}</dd>
        </div>
        {location && (
          <div>
            <dt>{t('where')}</dt>
            <dd>
              {location.name}
              {location.address && (
                <>
                  <br />
                  {location.address}
                </>
              )}
            </dd>
          </div>
        )}
      </dl>
      <PriceTable price={price} locale={locale} />
      <p className="hint">{t('heldUntil', { time: formatTime(hold.expiresAt, zone, locale) })}</p>
      <Field
        label={t('referralCode')}
        hint={t('codeHint')}
        autoCapitalize="characters"
        autoComplete="off"
        spellCheck={false}
        maxLength={32}
        value={props.code}
        onChange={(e) => props.onCode(e.target.value)}
        error={codeError}
      />
      <p className="code-status" role="status" data-testid="code-status">
        {props.codeError ? '' : checking ? t('codeChecking') : preview?.valid ? preview.message : ''}
      </p>
      <Alert>{props.error ? errorText(props.error, t) : null}</Alert>
      <div className="stack">
        <button type="button" className="btn btn-primary" disabled={props.busy} onClick={() => props.onBook(true)}>
          {t('payNow')} · {money(price.totalMinor, price.currency, locale)}
        </button>
        <button type="button" className="btn btn-secondary" disabled={props.busy} onClick={() => props.onBook(false)}>
          {t('payAtDesk')}
        </button>
      </div>
      {clinic.cancellationPolicy && (
        <details className="policy">
          <summary>{t('policy')}</summary>
          <p>{clinic.cancellationPolicy}</p>
        </details>
      )}
    </section>
  );
}

/** The confirmation: date, time, doctor, address, price, what was sent. */
export function DoneStep(props: { clinic: ClinicInfo; appointment: AppointmentView; sentTo: { email: string; phone: string } | null; notice: string | null; onManage: () => void; onAnother: () => void }) {
  const { t, locale } = useT();
  const a = props.appointment;
  const location = locationOf(props.clinic, a.locationId);
  const sent = props.sentTo;
  return (
    <section>
      <StepHeading>
        <span aria-hidden="true">✓ </span>
        {t('doneTitle')}
      </StepHeading>
      <dl className="summary">
        <div>
          <dt>{t('what')}</dt>
          <dd>{a.consultationType}</dd>
        </div>
        <div>
          <dt>{t('when')}</dt>
          <dd>
            {formatDate(a.startAt, a.timeZone, locale)}, {formatTime(a.startAt, a.timeZone, locale)}
            <br />
            <span className="hint">{t('timesIn', { city: cityOf(a.timeZone) })}</span>
          </dd>
        </div>
        <div>
          <dt>{t('with')}</dt>
          <dd>{a.doctorName}</dd>
        </div>
        <div>
          <dt>{t('address')}</dt>
          <dd>
            {a.locationName}
            {(location?.address || props.clinic.address) && (
              <>
                <br />
                {location?.address || props.clinic.address}
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('payStatus')}</dt>
          <dd data-testid="payment-status">{a.paymentStatus === 'paid' ? t('paid') : t('unpaid')}</dd>
        </div>
      </dl>
      <PriceTable price={a.price} locale={locale} />
      {props.notice && <Alert tone="info">{props.notice}</Alert>}
      <p className="sent" role="status">
        {sent?.email ? t('doneSentEmail', { email: sent.email }) : sent?.phone ? t('doneSentSms', { phone: sent.phone }) : t('doneSentAny')}
      </p>
      <div className="stack">
        <button type="button" className="btn btn-primary" onClick={props.onManage}>
          {t('manage')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={props.onAnother}>
          {t('bookAnother')}
        </button>
      </div>
    </section>
  );
}
