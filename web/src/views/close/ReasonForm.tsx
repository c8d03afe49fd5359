/**
 * An input with a button: a reason-taking act (cancel, reopen, defer, reject …). A plain form, so
 * Enter submits and the button and its field stay together; a required reason left empty is refused
 * here, in the reader's language, before anything is sent.
 */
import { Button, Input } from 'antd';
import { useState, type FormEvent } from 'react';
import { useFlash } from '../../flash';
import { useI18n } from '../../i18n';

type DataAttributes = Record<`data-${string}`, string>;

export interface ReasonFormProps {
  id?: string;
  buttonId?: string;
  placeholder: string;
  buttonText: string;
  required?: boolean;
  compact?: boolean;
  danger?: boolean;
  /** data-* attributes of the field and of the button (the item's ids, the act's test id). */
  inputAttrs?: DataAttributes;
  buttonAttrs?: DataAttributes;
  /** Answers whether the act went through: the field is emptied once it has. */
  onSubmit: (reason: string) => Promise<boolean>;
}

export function ReasonForm({ id, buttonId, placeholder, buttonText, required, compact, danger, inputAttrs, buttonAttrs, onSubmit }: ReasonFormProps) {
  const { t } = useI18n();
  const flash = useFlash();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const text = reason.trim();
    if (required && !text) {
      setMissing(true);
      flash.error({ code: 'VALIDATION_FAILED', message: t('close.reasonRequired') });
      return;
    }
    setBusy(true);
    try {
      if (await onSubmit(text)) setReason('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className={compact ? 'reason-form compact' : 'reason-form'} onSubmit={(event) => void submit(event)} noValidate>
      <Input
        id={id}
        size={compact ? 'small' : 'middle'}
        placeholder={placeholder}
        aria-label={placeholder}
        maxLength={1000}
        value={reason}
        status={missing ? 'error' : undefined}
        onChange={(event) => {
          setReason(event.target.value);
          setMissing(false);
        }}
        {...inputAttrs}
      />
      <Button id={buttonId} htmlType="submit" size={compact ? 'small' : 'middle'} danger={danger} loading={busy} autoInsertSpace={false} {...buttonAttrs}>
        {buttonText}
      </Button>
    </form>
  );
}
