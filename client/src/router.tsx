// A tiny history-API router: the current path as a signal, navigate(), <Link>, and route matching.
import { createSignal, type JSX } from 'solid-js';

const current = () => location.pathname;
const [path, setPath] = createSignal(current());
window.addEventListener('popstate', () => setPath(current()));

export { path };

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  setPath(current());
}

export type Route =
  | { name: 'login' }
  | { name: 'projects' }
  | { name: 'project'; projectId: string }
  | { name: 'annotate'; projectId: string; imageId: string }
  | { name: 'review'; projectId: string }
  | { name: 'stats'; projectId: string }
  | { name: 'releases'; projectId: string }
  | { name: 'release'; projectId: string; number: number }
  | { name: 'pipelines'; projectId: string; runId?: string }
  | { name: 'home'; projectId: string }
  | { name: 'lineage'; projectId: string }
  | { name: 'adminAudit' }
  | { name: 'notFound' };

export function parseRoute(p: string): Route {
  const parts = p.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'projects' };
  if (parts[0] === 'login' && parts.length === 1) return { name: 'login' };
  if (parts[0] === 'admin' && parts[1] === 'audit' && parts.length === 2) return { name: 'adminAudit' };
  if (parts[0] === 'projects' && parts.length === 2) return { name: 'project', projectId: parts[1] };
  if (parts[0] === 'projects' && parts.length === 3 && parts[2] === 'review') return { name: 'review', projectId: parts[1] };
  if (parts[0] === 'projects' && parts.length === 3 && parts[2] === 'stats') return { name: 'stats', projectId: parts[1] };
  if (parts[0] === 'projects' && parts.length === 3 && parts[2] === 'releases') return { name: 'releases', projectId: parts[1] };
  if (parts[0] === 'projects' && parts.length === 4 && parts[2] === 'releases' && /^\d{1,9}$/.test(parts[3])) return { name: 'release', projectId: parts[1], number: Number(parts[3]) };
  if (parts[0] === 'projects' && parts.length === 3 && parts[2] === 'home') return { name: 'home', projectId: parts[1] };
  if (parts[0] === 'projects' && (parts.length === 3 || parts.length === 4) && parts[2] === 'pipelines') return { name: 'pipelines', projectId: parts[1], ...(parts[3] ? { runId: parts[3] } : {}) };
  if (parts[0] === 'projects' && parts.length === 3 && parts[2] === 'lineage') return { name: 'lineage', projectId: parts[1] };
  if (parts[0] === 'projects' && parts.length === 4 && parts[2] === 'images') return { name: 'annotate', projectId: parts[1], imageId: parts[3] };
  return { name: 'notFound' };
}

export const adminAuditPath = '/admin/audit';
export const projectPath = (projectId: string) => `/projects/${encodeURIComponent(projectId)}`;
export const reviewPath = (projectId: string) => `${projectPath(projectId)}/review`;
export const statsPath = (projectId: string) => `${projectPath(projectId)}/stats`;
export const releasesPath = (projectId: string) => `${projectPath(projectId)}/releases`;
export const releasePath = (projectId: string, number: number) => `${releasesPath(projectId)}/${number}`;
export const pipelinesPath = (projectId: string, runId?: string) => `${projectPath(projectId)}/pipelines${runId ? `/${encodeURIComponent(runId)}` : ''}`;
export const lineagePath = (projectId: string) => `${projectPath(projectId)}/lineage`;
export const annotatePath = (projectId: string, imageId: string) => `${projectPath(projectId)}/images/${encodeURIComponent(imageId)}`;

export function Link(props: { href: string; class?: string; title?: string; children: JSX.Element; 'data-testid'?: string }) {
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.href);
  };
  return (
    <a href={props.href} class={props.class} title={props.title} data-testid={props['data-testid']} onClick={onClick}>
      {props.children}
    </a>
  );
}
