// The top bar: product name, breadcrumbs, signed-in user, sign-out (here or everywhere).
import { Show, type JSX } from 'solid-js';
import { Link, navigate } from '../router.tsx';
import { me, signOut } from '../session.ts';

export function Header(props: { children?: JSX.Element }) {
  return (
    <header class="topbar">
      <Link href="/" class="brand">
        <span class="logo">▦</span> Tessera
      </Link>
      <nav class="crumbs">{props.children}</nav>
      <Show when={me()}>
        {(m) => (
          <div class="user">
            <span data-testid="current-user">{m().user.displayName || m().user.username}</span>
            <button
              type="button"
              class="link"
              onClick={async () => {
                await signOut().catch(() => undefined);
                navigate('/login', true);
              }}
            >
              Sign out
            </button>
            <button
              type="button"
              class="link"
              title="Ends every session and revokes every API token of yours, on all devices"
              onClick={async () => {
                await signOut({ everywhere: true }).catch(() => undefined);
                navigate('/login', true);
              }}
            >
              Sign out everywhere
            </button>
          </div>
        )}
      </Show>
    </header>
  );
}
