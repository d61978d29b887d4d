import type { FC } from 'hono/jsx';

/** Field-level messages, keyed by field name. */
export type FieldErrors = Record<string, string>;

interface FieldProps {
  name: string;
  label: string;
  value?: string | null;
  error?: string;
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'url' | 'date' | 'search';
  required?: boolean;
  autocomplete?: string;
  maxlength?: number;
  pattern?: string;
  placeholder?: string;
  inputmode?: 'numeric' | 'text';
}

const describedBy = (name: string, error?: string, hint?: string) =>
  [error ? `${name}-error` : '', hint ? `${name}-hint` : ''].filter(Boolean).join(' ') || undefined;

const Messages: FC<{ name: string; error?: string; hint?: string }> = ({ name, error, hint }) => (
  <>
    {hint ? (
      <span class="hint" id={`${name}-hint`}>
        {hint}
      </span>
    ) : null}
    {error ? (
      <span class="error" id={`${name}-error`}>
        {error}
      </span>
    ) : null}
  </>
);

export const TextField: FC<FieldProps> = ({ name, label, value, error, hint, type = 'text', ...rest }) => (
  <div class="field">
    <label for={name}>{label}</label>
    <input
      id={name}
      name={name}
      type={type}
      value={type === 'password' ? undefined : (value ?? '')}
      aria-invalid={error ? 'true' : undefined}
      aria-describedby={describedBy(name, error, hint)}
      {...rest}
    />
    <Messages name={name} error={error} hint={hint} />
  </div>
);

export const TextArea: FC<Omit<FieldProps, 'type'>> = ({ name, label, value, error, hint, ...rest }) => (
  <div class="field">
    <label for={name}>{label}</label>
    <textarea id={name} name={name} rows={3} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(name, error, hint)} {...rest}>
      {value ?? ''}
    </textarea>
    <Messages name={name} error={error} hint={hint} />
  </div>
);

export const SelectField: FC<{
  name: string;
  label: string;
  options: { value: string; label: string }[];
  value?: string | null;
  error?: string;
  hint?: string;
  required?: boolean;
  blank?: string;
}> = ({ name, label, options, value, error, hint, required, blank }) => (
  <div class="field">
    <label for={name}>{label}</label>
    <select id={name} name={name} required={required} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(name, error, hint)}>
      {blank !== undefined ? <option value="">{blank}</option> : null}
      {options.map((o) => (
        <option value={o.value} selected={o.value === value}>
          {o.label}
        </option>
      ))}
    </select>
    <Messages name={name} error={error} hint={hint} />
  </div>
);

export const FileField: FC<{ name: string; label: string; accept: string; error?: string; hint?: string; required?: boolean }> = ({
  name,
  label,
  accept,
  error,
  hint,
  required,
}) => (
  <div class="field">
    <label for={name}>{label}</label>
    <input id={name} name={name} type="file" accept={accept} required={required} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(name, error, hint)} />
    <Messages name={name} error={error} hint={hint} />
  </div>
);

export const Checkboxes: FC<{
  name: string;
  legend: string;
  options: readonly string[];
  checked: readonly string[];
  error?: string;
  hint?: string;
  labels?: Record<string, string>;
}> = ({ name, legend, options, checked, error, hint, labels = {} }) => (
  <fieldset class="field" aria-describedby={describedBy(name, error, hint)}>
    <legend>{legend}</legend>
    <div class="checks">
      {options.map((o) => (
        <label>
          <input type="checkbox" name={name} value={o} checked={checked.includes(o)} /> <code>{o}</code>
          {labels[o] ? <span class="muted small">{labels[o]}</span> : null}
        </label>
      ))}
    </div>
    <Messages name={name} error={error} hint={hint} />
  </fieldset>
);

export const Radios: FC<{ name: string; legend: string; options: { value: string; label: string }[]; value: string; error?: string }> = ({
  name,
  legend,
  options,
  value,
  error,
}) => (
  <fieldset class="field">
    <legend>{legend}</legend>
    <div class="radios">
      {options.map((o) => (
        <label>
          <input type="radio" name={name} value={o.value} checked={o.value === value} /> {o.label}
        </label>
      ))}
    </div>
    <Messages name={name} error={error} />
  </fieldset>
);

/** The form's refusal on top: how many fields to check, and the messages no field carries (`generales`). */
export const ErrorSummary: FC<{ errors: FieldErrors; message?: string; generales?: readonly string[] }> = ({ errors, message, generales = [] }) => {
  const n = Object.keys(errors).length;
  return n || generales.length ? (
    <div class="alert alert-error" role="alert">
      {message ?? (n === 1 ? 'Revisa el campo marcado.' : n ? `Revisa los ${n} campos marcados.` : 'No se pudo completar.')}
      {generales.length ? (
        <ul>
          {generales.map((m) => (
            <li>{m}</li>
          ))}
        </ul>
      ) : null}
    </div>
  ) : null;
};

/** A secret shown exactly once, with a copy button that works when JavaScript is on (and selectable text when not). */
export const SecretOnce: FC<{ id: string; label: string; value: string }> = ({ id, label, value }) => (
  <div class="field">
    <label for={id}>{label}</label>
    <div class="secret">
      <input id={id} type="text" readonly value={value} data-secret />
      <button type="button" class="btn btn-secondary" data-copy={id} hidden>
        Copiar
      </button>
    </div>
  </div>
);
