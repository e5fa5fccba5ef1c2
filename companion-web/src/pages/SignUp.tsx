import { useForm } from 'react-hook-form';
import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useApi } from '../api/ApiProvider';
import { useAuth } from '../auth/AuthProvider';
import { config } from '../config';
import { Button, Notice, PageHeader, ProblemAlert } from '../ui/components';

interface SignUpForm {
  username: string;
  email: string;
  password: string;
  confirm: string;
}

/** Sign-up in the tenant (POST /api/v1/auth/register), then sign-in at auth-service's page. */
export function SignUp() {
  const api = useApi();
  const { signIn } = useAuth();
  const { register, handleSubmit, watch, formState: { errors } } = useForm<SignUpForm>({ mode: 'onBlur' });
  const signUp = useMutation({
    mutationFn: (form: SignUpForm) => api.post('/api/v1/auth/register', {
      username: form.username.trim(), email: form.email.trim() || undefined, password: form.password, tenant: config.tenant,
    }, { anonymous: true }),
  });

  if (signUp.isSuccess) {
    return (
      <section>
        <PageHeader title="Your account is ready" />
        <Notice kind="success">Welcome, {signUp.variables?.username}. Sign in with your new username and password.</Notice>
        <Button onClick={() => signIn('/')}>Sign in</Button>
      </section>
    );
  }
  return (
    <section className="narrow">
      <PageHeader title="Create your account" />
      <form className="form" noValidate onSubmit={handleSubmit((form) => signUp.mutate(form))}>
        <ProblemAlert error={signUp.error} title="We could not create your account" />
        <div className="field">
          <label htmlFor="su-username">Username</label>
          <input id="su-username" autoComplete="username" aria-invalid={!!errors.username}
            aria-describedby={errors.username ? 'su-username-error' : undefined}
            {...register('username', { required: 'Choose a username.', minLength: { value: 3, message: 'At least 3 characters.' },
              maxLength: { value: 64, message: 'At most 64 characters.' },
              pattern: { value: /^[A-Za-z0-9._@-]+$/, message: 'Letters, digits and . _ @ - only.' } })} />
          {errors.username && <p id="su-username-error" className="field-error">{errors.username.message}</p>}
        </div>
        <div className="field">
          <label htmlFor="su-email">Email <span className="optional">(optional)</span></label>
          <input id="su-email" type="email" autoComplete="email" aria-invalid={!!errors.email}
            aria-describedby={errors.email ? 'su-email-error' : undefined}
            {...register('email', { pattern: { value: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, message: 'Enter a valid email address.' } })} />
          {errors.email && <p id="su-email-error" className="field-error">{errors.email.message}</p>}
        </div>
        <div className="field">
          <label htmlFor="su-password">Password</label>
          <input id="su-password" type="password" autoComplete="new-password" aria-invalid={!!errors.password}
            aria-describedby={`su-password-hint${errors.password ? ' su-password-error' : ''}`}
            {...register('password', { required: 'Choose a password.', minLength: { value: 10, message: 'At least 10 characters.' },
              validate: {
                mix: (v) => (/[A-Za-z]/.test(v) && /[^A-Za-z]/.test(v)) || 'Use letters and at least one digit or symbol.',
                notName: (v, all) => !all.username || !v.toLowerCase().includes(all.username.toLowerCase()) || 'Do not include your username.',
              } })} />
          <p id="su-password-hint" className="hint">At least 10 characters, letters and a digit or symbol.</p>
          {errors.password && <p id="su-password-error" className="field-error">{errors.password.message}</p>}
        </div>
        <div className="field">
          <label htmlFor="su-confirm">Repeat the password</label>
          <input id="su-confirm" type="password" autoComplete="new-password" aria-invalid={!!errors.confirm}
            aria-describedby={errors.confirm ? 'su-confirm-error' : undefined}
            {...register('confirm', { validate: (v) => v === watch('password') || 'The passwords differ.' })} />
          {errors.confirm && <p id="su-confirm-error" className="field-error">{errors.confirm.message}</p>}
        </div>
        <div className="actions">
          <Button type="submit" busy={signUp.isPending}>Create account</Button>
          <Link to="/">I already have an account</Link>
        </div>
      </form>
    </section>
  );
}
