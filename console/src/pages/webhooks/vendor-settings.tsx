import { useId } from 'react';
import { NameValueRows } from './name-value-rows';
import { ENVIRONMENTS, MAX_DELAY_SECONDS, MAX_TEXT, type OptionsDraft, type SettingsKind } from './vendor-options';

const ENVIRONMENT_LABELS: Readonly<Record<string, string>> = { PRODUCTION: 'Production', SANDBOX: 'Sandbox' };

/**
 * The "Vendor settings" section of the webhook form (WebhookOptionsInput): SuperOffice's errors email, headers and
 * properties; a Paybook V1 webhook's user and delay, or a V3 subscription's environment. Controlled: the form owns the
 * draft and tells which field the gateway refused (`refused`, described by the form's outcome, `outcomeId`).
 */
export function VendorSettings({
  kind,
  providerName,
  draft,
  onChange,
  problems,
  refused,
  outcomeId,
}: {
  kind: SettingsKind;
  providerName: string;
  draft: OptionsDraft;
  onChange(draft: OptionsDraft): void;
  /** What the page refuses, by field id (problemsOf): shown as it is typed, beside the field. */
  problems: ReadonlyMap<string, string>;
  refused: keyof OptionsDraft | null;
  outcomeId: string;
}) {
  const id = useId();
  const problemOf = (field: string) => problems.get(field);
  const set = <K extends keyof OptionsDraft>(field: K, value: OptionsDraft[K]) => onChange({ ...draft, [field]: value });

  /** The attributes that tie an input to its note, its problem and a refusal by the gateway. */
  const described = (field: keyof OptionsDraft, note?: string) => {
    const problem = problemOf(field);
    const ids = [note, problem && `${id}-${field}-problem`, refused === field && outcomeId].filter(Boolean);
    return {
      id: `${id}-${field}`,
      'aria-invalid': problem !== undefined || refused === field,
      'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined,
    };
  };
  const problem = (field: keyof OptionsDraft) => {
    const text = problemOf(field);
    return text ? (
      <small id={`${id}-${field}-problem`} className="problem">
        {text}
      </small>
    ) : null;
  };

  return (
    <fieldset className="vendor-settings">
      <legend>Vendor settings</legend>
      <p className="small muted">Registered at {providerName} with the webhook. Empty fields keep the vendor's defaults.</p>
      {kind === 'superoffice' && (
        <>
          <div className="field">
            <label htmlFor={`${id}-errorsEmail`}>Errors email (optional)</label>
            <input
              type="email"
              value={draft.errorsEmail}
              maxLength={MAX_TEXT}
              autoComplete="off"
              onChange={(e) => set('errorsEmail', e.target.value)}
              {...described('errorsEmail', `${id}-errorsEmail-note`)}
            />
            <small id={`${id}-errorsEmail-note`}>Where SuperOffice mails the errors of failed deliveries.</small>
            {problem('errorsEmail')}
          </div>
          <NameValueRows
            noun="header"
            legend="Headers"
            note="Sent with every delivery: a header value may be a secret of yours, shown here to ADMIN keys only."
            rows={draft.headers}
            onChange={(rows) => set('headers', rows)}
            problemOf={(i, cell) => problemOf(`headers.${i}.${cell}`)}
          />
          <NameValueRows
            noun="property"
            legend="Properties"
            note="Added to the body of every delivery."
            rows={draft.properties}
            onChange={(rows) => set('properties', rows)}
            problemOf={(i, cell) => problemOf(`properties.${i}.${cell}`)}
          />
        </>
      )}
      {kind === 'paybook-v1' && (
        <div className="row">
          <div className="field">
            <label htmlFor={`${id}-idUser`}>Paybook user (optional)</label>
            <input
              value={draft.idUser}
              maxLength={64}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => set('idUser', e.target.value)}
              {...described('idUser', `${id}-idUser-note`)}
            />
            <small id={`${id}-idUser-note`}>A user id (id_user): only that user's events. Empty: every user of the API key.</small>
            {problem('idUser')}
          </div>
          <div className="field">
            <label htmlFor={`${id}-delaySeconds`}>Delay in seconds (optional)</label>
            <input
              className="narrow"
              type="number"
              inputMode="numeric"
              min={0}
              max={MAX_DELAY_SECONDS}
              step={1}
              value={draft.delaySeconds}
              onChange={(e) => set('delaySeconds', e.target.value)}
              {...described('delaySeconds', `${id}-delaySeconds-note`)}
            />
            <small id={`${id}-delaySeconds-note`}>0 to {MAX_DELAY_SECONDS} (a day) before Paybook delivers. Empty: at once.</small>
            {problem('delaySeconds')}
          </div>
        </div>
      )}
      {kind === 'paybook-v3' && (
        <div className="field">
          <label htmlFor={`${id}-environment`}>Environment</label>
          <select value={draft.environment} onChange={(e) => set('environment', e.target.value)} {...described('environment')}>
            <option value="">Vendor default (production)</option>
            {ENVIRONMENTS.map((name) => (
              <option key={name} value={name}>
                {ENVIRONMENT_LABELS[name]}
              </option>
            ))}
            {/* A name stored through the API that the list lacks stays selectable, so an edit does not change it unseen. */}
            {draft.environment && !(ENVIRONMENTS as readonly string[]).includes(draft.environment) && (
              <option value={draft.environment}>{draft.environment}</option>
            )}
          </select>
          {problem('environment')}
        </div>
      )}
    </fieldset>
  );
}
