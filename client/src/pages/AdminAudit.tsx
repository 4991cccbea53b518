// Administrators: the whole audit log — every project's entries and those that belong to no
// project (sign-ins and sign-outs, accounts, API tokens, blob collection) — with the same filters
// and CSV export as a project's Audit tab, each entry naming its project.
import { Show } from 'solid-js';
import { wholeAudit } from '../api/audit.ts';
import { AuditTab } from '../components/AuditTab.tsx';
import { Header } from '../components/Header.tsx';
import { Link } from '../router.tsx';
import { me } from '../session.ts';

export function AdminAuditPage() {
  return (
    <>
      <Header>
        <Link href="/">Projects</Link>
        <span class="sep">/</span>
        <span>Audit log</span>
      </Header>
      <main class="page">
        <h2>Audit log</h2>
        <Show when={me()?.user.isAdmin} fallback={<p class="error" data-testid="admin-only">Only administrators read the whole audit log; a project's managers find its log in the project's Audit tab.</p>}>
          <p class="muted small">Every project, and what belongs to none: sign-ins, accounts, API tokens, blob collection.</p>
          <AuditTab source={wholeAudit} people={[]} />
        </Show>
      </main>
    </>
  );
}
