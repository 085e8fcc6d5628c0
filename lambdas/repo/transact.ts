/**
 * One TransactWriteItems call whose items carry tags, so a cancellation says which guard failed
 * ("the path is taken", "the counter moved") instead of a positional list of reasons.
 */
import { TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface TaggedItem {
  readonly tag: string;
  readonly item: TransactItem;
}

/** `failed` lists the tags whose condition failed or that collided with a concurrent transaction. */
export type TransactOutcome = { readonly ok: true } | { readonly ok: false; readonly failed: string[] };

/** Reasons that mean "someone else changed this first": worth re-reading and trying again. */
const CONTENTION = new Set(['ConditionalCheckFailed', 'TransactionConflict']);

interface CancellationError {
  name: string;
  message: string;
  CancellationReasons?: { Code?: string }[];
}

/** Some emulators put the reasons only in the message: "... reasons [None, ConditionalCheckFailed]". */
function reasonCodes(error: CancellationError): string[] | undefined {
  if (error.CancellationReasons) return error.CancellationReasons.map((r) => r.Code ?? 'None');
  const listed = /\[([A-Za-z, ]+)\]\s*$/.exec(error.message);
  return listed ? listed[1].split(',').map((s) => s.trim()) : undefined;
}

export class Transactions {
  constructor(private readonly db: DynamoDBDocumentClient) {}

  /** Writes all items or none; a lost race comes back as an outcome, anything else throws. */
  async write(items: readonly TaggedItem[]): Promise<TransactOutcome> {
    return transact(this.db, items);
  }
}

async function transact(db: DynamoDBDocumentClient, items: readonly TaggedItem[]): Promise<TransactOutcome> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items.map((i) => i.item) }));
    return { ok: true };
  } catch (error) {
    const e = error as CancellationError;
    if (e.name === 'TransactionConflictException') return { ok: false, failed: items.map((i) => i.tag) };
    if (e.name !== 'TransactionCanceledException') throw error;
    const codes = reasonCodes(e);
    if (codes === undefined || codes.length !== items.length) throw error;
    if (codes.some((c) => c !== 'None' && !CONTENTION.has(c))) throw error;
    return { ok: false, failed: items.filter((_, i) => CONTENTION.has(codes[i])).map((i) => i.tag) };
  }
}
