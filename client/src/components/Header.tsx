// The top bar: product name, breadcrumbs, signed-in user, sign-out (here or everywhere).
import { Show, type JSX } from 'solid-js';
import { Link, navigate, projectPath } from '../router.tsx';
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

/** The top bar of a page inside a project: Projects / <project> / what `children` name. */
export function ProjectHeader(props: { projectId: string; projectName: string | undefined; children: JSX.Element }) {
  return (
    <Header>
      <Link href="/">Projects</Link>
      <span class="sep">/</span>
      <Link href={projectPath(props.projectId)}>{props.projectName ?? '…'}</Link>
      <span class="sep">/</span>
      {props.children}
    </Header>
  );
}
