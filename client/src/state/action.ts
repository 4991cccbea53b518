// A form action against the API: clears the last error, runs, shows the server's message on
// failure, and always refreshes what it changed afterwards.
import { createSignal } from 'solid-js';
import { messageOf } from '../api.ts';

export function useAction(refresh: () => void) {
  const [error, setError] = createSignal<string | null>(null);
  const run = async (f: () => Promise<unknown>) => {
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      refresh();
    }
  };
  return { error, setError, run };
}
