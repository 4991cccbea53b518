// A form action against the API: while it runs it is `busy` and the last error is cleared; on
// failure `error` holds the server's message. `run` resolves to whether it succeeded, so a form
// can clear its fields only then.
import { createSignal } from 'solid-js';
import { messageOf } from '../api.ts';

export function createAction() {
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const run = async (f: () => Promise<unknown>): Promise<boolean> => {
    setError(null);
    setBusy(true);
    try {
      await f();
      return true;
    } catch (e) {
      setError(messageOf(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { error, setError, busy, run };
}

/** An action that refreshes what it changed afterwards, whether it succeeded or not. */
export function useAction(refresh: () => void) {
  const action = createAction();
  const run = async (f: () => Promise<unknown>): Promise<boolean> => {
    try {
      return await action.run(f);
    } finally {
      refresh();
    }
  };
  return { ...action, run };
}
