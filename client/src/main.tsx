// Entry point of the web app: styles, service worker, session, and the app shell.
import { render } from 'solid-js/web';
import { App } from './App.tsx';
import { loadMe } from './session.ts';
import { registerServiceWorker } from './sw-client.ts';
import './styles.css';

registerServiceWorker();
void loadMe();
render(() => <App />, document.getElementById('root')!);
