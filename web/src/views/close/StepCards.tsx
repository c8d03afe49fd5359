/**
 * A close's steps, one small card each with its state and time. A step retrying a technical failure
 * by itself says so in one calm line in the reader's language (nobody has anything to do), with the
 * attempts and the next one's time; the error itself only on demand, so a long technical message
 * never stretches the card.
 */
import { Card } from 'antd';
import { durationBetween, errorText, formatTime } from '../../format';
import { useI18n } from '../../i18n';
import { StateBadge } from '../parts';
import type { Step } from './types';

function RetryingNote({ step }: { step: Step & { retrying: NonNullable<Step['retrying']> } }) {
  const { t } = useI18n();
  const r = step.retrying;
  const when = [t('close.retry.failedAttempts', { n: r.failedAttempts }), r.nextAttemptAt ? t('close.retry.next', { at: formatTime(r.nextAttemptAt) }) : null];
  return (
    <>
      <span className="step-retrying" data-testid="step-retrying" data-code={r.code}>
        {r.message ?? r.code}
      </span>
      <span className="hint step-time" data-testid="step-retry-when">
        {when.filter(Boolean).join(t('close.retry.separator'))}
      </span>
      {/* Left to the browser: the page refreshes every 2 s, and details the reader opened stay open. */}
      <details className="step-error-details" data-testid="step-error-details">
        <summary>{t('close.retry.details')}</summary>
        <span className="step-error">{step.lastError ? errorText(step.lastError) : r.code}</span>
      </details>
    </>
  );
}

function StepCard({ step, index }: { step: Step; index: number }) {
  const { t, label } = useI18n();
  const time = step.startedAt ? t(step.endedAt ? 'close.took' : 'close.runningFor', { d: durationBetween(step.startedAt, step.endedAt) }) : '';
  const retrying = step.retrying;
  return (
    <li>
      <Card size="small" className={`step state-${step.state}${retrying ? ' retrying' : ''}`} data-testid="step" data-step={step.name} data-state={step.state}>
        <div className="step-head">
          <span className="marker">{index + 1}</span>
          <span className="step-name">{label('step', step.name)}</span>
        </div>
        <div className="step-head">
          <StateBadge state={step.state} />
          <span className="step-time">{time}</span>
        </div>
        {retrying ? (
          <RetryingNote step={{ ...step, retrying }} />
        ) : (
          <>
            {step.attempts > 1 && <span className="hint step-time">{t('close.attempts', { n: step.attempts })}</span>}
            {step.lastError && <span className="step-error">{errorText(step.lastError)}</span>}
          </>
        )}
      </Card>
    </li>
  );
}

export function StepCards({ steps }: { steps: Step[] }) {
  return (
    <ol id="steps" className="steps">
      {steps.map((step, i) => (
        <StepCard key={step.name} step={step} index={i} />
      ))}
    </ol>
  );
}
