/** A yes/no dialog for a change that deserves a second look: Cancel, or the named action (its error shown in place). */
import type { ComponentChildren } from 'preact';
import { describeError } from '../errors';
import { Modal } from './Modal';
import { useAction } from './use-action';

interface Props {
  readonly title: string;
  readonly submit: string;
  readonly onClose: () => void;
  readonly act: () => Promise<void>;
  readonly children: ComponentChildren;
}

export function Confirm({ title, submit, onClose, act, children }: Props) {
  const { busy, error, run } = useAction();
  return (
    <Modal title={title} onClose={onClose}>
      {children}
      {error && <p role="alert" class="error">{describeError(error)}</p>}
      <div class="actions">
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" class="danger" disabled={busy} onClick={() => void run(act)}>{submit}</button>
      </div>
    </Modal>
  );
}
