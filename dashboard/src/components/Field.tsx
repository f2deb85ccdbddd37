// A labelled form control with its error message right under it (linked for screen readers).
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface Common { label: string; error?: string | null; hint?: ReactNode }

function Wrap({ id, label, error, hint, children }: Common & { id: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && !error && <div className="field-hint" id={`${id}-hint`}>{hint}</div>}
      {error && <div className="field-error" id={`${id}-error`} role="alert">{error}</div>}
    </div>
  );
}

function describedBy(id: string, error?: string | null, hint?: ReactNode) {
  return error ? `${id}-error` : hint ? `${id}-hint` : undefined;
}

export function TextField({ label, error, hint, ...rest }: Common & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <Wrap id={rest.id ?? id} label={label} error={error} hint={hint}>
      <input id={rest.id ?? id} aria-invalid={!!error} aria-describedby={describedBy(rest.id ?? id, error, hint)} {...rest} />
    </Wrap>
  );
}

export function SelectField({ label, error, hint, children, ...rest }: Common & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <Wrap id={rest.id ?? id} label={label} error={error} hint={hint}>
      <select id={rest.id ?? id} aria-invalid={!!error} aria-describedby={describedBy(rest.id ?? id, error, hint)} {...rest}>{children}</select>
    </Wrap>
  );
}

export function TextAreaField({ label, error, hint, ...rest }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <Wrap id={rest.id ?? id} label={label} error={error} hint={hint}>
      <textarea id={rest.id ?? id} aria-invalid={!!error} aria-describedby={describedBy(rest.id ?? id, error, hint)} {...rest} />
    </Wrap>
  );
}

export function CheckboxField({ label, hint, ...rest }: { label: string; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="field field-check">
      <input type="checkbox" id={rest.id ?? id} {...rest} />
      <label htmlFor={rest.id ?? id}>{label}</label>
      {hint && <div className="field-hint">{hint}</div>}
    </div>
  );
}
