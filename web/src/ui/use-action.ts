/** A change the person asked for: busy while it runs (so its button cannot fire twice), and its coded error. */
import { useState } from 'preact/hooks';
import { asToteError, type ToteError } from '../errors';

export function useAction(): { busy: boolean; error?: ToteError; run: (work: () => Promise<void>) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ToteError>();
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (thrown) {
      setError(asToteError(thrown));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
