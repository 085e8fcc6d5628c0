/** A request the UI waits for: its result, its coded error, and a way to run it again. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { asWebError, type WebError } from '../errors';

export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): { value?: T; error?: WebError; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ value?: T; error?: WebError; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (value) => current && setState({ value, loading: false }),
      (error: unknown) => current && setState({ error: asWebError(error), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
