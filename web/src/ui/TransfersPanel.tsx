/** Every transfer of this tab: a bar per file and one in total, rate, time left, cancel, errors with codes. */
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../errors';
import { isFinished, type Transfers, type TransferView } from '../transfer/transfers';
import { formatBytes, formatEta, formatRate } from './format';

const STATUS_TEXT: Record<TransferView['status'], string> = {
  queued: 'waiting',
  preparing: 'reading and hashing',
  sending: 'transferring',
  finishing: 'finishing',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
};

export function TransfersPanel({ transfers }: { transfers: Transfers }) {
  const [, repaint] = useState(0);
  useEffect(() => transfers.subscribe(() => repaint((n) => n + 1)), [transfers]);
  const list = transfers.list();
  if (list.length === 0) return null;
  const totals = transfers.totals();
  return (
    <aside class="transfers" aria-labelledby="transfers-title">
      <header>
        <h2 id="transfers-title">Transfers</h2>
        {totals.active > 0 && (
          <div class="total" aria-label="All transfers">
            <progress max={totals.totalBytes || 1} value={totals.doneBytes} aria-label="Total progress" />
            <span>
              {totals.active} active · {formatBytes(totals.doneBytes)} of {formatBytes(totals.totalBytes)} · {formatRate(totals.rate)} · {formatEta(totals.etaSeconds)} left
            </span>
          </div>
        )}
        <button type="button" onClick={() => transfers.clearFinished()} disabled={list.every((t) => !isFinished(t.status))}>Clear finished</button>
      </header>
      <ul aria-live="polite">
        {list.map((t) => (
          <li key={t.id} class={`transfer ${t.status}`} data-transfer-status={t.status}>
            <span class="name">{t.kind === 'upload' ? '↑' : '↓'} {t.name}</span>
            <progress max={t.totalBytes || 1} value={t.status === 'done' ? t.totalBytes || 1 : t.doneBytes} aria-label={`${t.name} progress`} />
            <span class="detail">
              {STATUS_TEXT[t.status]}
              {!isFinished(t.status) && ` · ${formatBytes(t.doneBytes)} of ${formatBytes(t.totalBytes)} · ${formatRate(t.rate)} · ${formatEta(t.etaSeconds)} left`}
              {t.summary && ` · ${t.summary}`}
            </span>
            {t.error && <span role="alert" class="error">{describeError(t.error)}</span>}
            {!isFinished(t.status) && <button type="button" aria-label={`Cancel ${t.name}`} onClick={() => transfers.cancel(t.id)}>Cancel</button>}
          </li>
        ))}
      </ul>
    </aside>
  );
}
