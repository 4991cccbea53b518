// Sign-in: username and password; shows the server's message when it refuses.
import { createSignal } from 'solid-js';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { navigate } from '../router.tsx';
import { createAction } from '../state/action.ts';
import { me, signIn } from '../session.ts';
import { afterSignIn } from './home/landing.ts';

export function LoginPage(props: { next?: string }) {
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const { error, busy, run } = createAction();

  const submit = async (e: Event) => {
    e.preventDefault();
    await run(async () => {
      await signIn(username().trim(), password());
      // Asked for a page: that page; otherwise the role's home (issue 14 item 4). The app shell
      // has already gone there when the session changed; this only repeats it.
      navigate(afterSignIn(props.next, me()?.memberships ?? []), true);
    });
  };

  return (
    <div class="login-page">
      <form class="card login" onSubmit={submit} data-testid="login-form">
        <h1>
          <span class="logo">▦</span> Tessera
        </h1>
        <p class="muted">Sign in to annotate, review and release datasets.</p>
        <label>
          Username
          <input name="username" autocomplete="username" autofocus required value={username()} onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <ErrorNote message={error()} />
        <button type="submit" class="primary" disabled={busy()}>
          {busy() ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
