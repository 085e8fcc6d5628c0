/**
 * The account check every authorized request passes: a user deleted or disabled in the pool since
 * the token was issued is refused with a code (issue 10, hole 3), what the pool said is remembered for
 * LIMITS.accountCheckSeconds per instance, a token issued within that time counts as the pool's word,
 * and a pool that cannot answer never turns the caller away.
 */
import './env';
import { LIMITS } from '@contract/limits';
import { AccountCheck } from '../../../lambdas/domain/account-check';
import type { Account } from '../../../lambdas/repo/users';

const WINDOW_MS = LIMITS.accountCheckSeconds * 1000;
const T0 = 1_800_000_000_000;
const caller = { userId: 'user-1' };

function pool(answers: (Account | Error)[]) {
  const asked: string[] = [];
  return {
    asked,
    source: {
      account: async (userId: string): Promise<Account> => {
        asked.push(userId);
        const next = answers.length > 1 ? answers.shift()! : answers[0];
        if (next instanceof Error) throw next;
        return next;
      },
    },
  };
}

async function codeOf(check: AccountCheck, iat?: number): Promise<string> {
  try {
    await check.admit(caller, iat);
    return 'admitted';
  } catch (error) {
    return (error as { code: string }).code;
  }
}

test.each([
  [{ status: 'active' } as Account, 'admitted'],
  [{ status: 'disabled' } as Account, 'ACCOUNT_DISABLED'],
  [{ status: 'deleted' } as Account, 'ACCOUNT_DELETED'],
])('an account the pool calls %j: %s', async (account, outcome) => {
  // Prepare
  const { source } = pool([account]);

  // Act + Assess
  expect(await codeOf(new AccountCheck(source, () => T0))).toBe(outcome);
});

test('the refusals carry the statuses the contract gives them: 401 deleted, 403 disabled', async () => {
  // Prepare
  const deleted = new AccountCheck(pool([{ status: 'deleted' }]).source, () => T0);
  const disabled = new AccountCheck(pool([{ status: 'disabled' }]).source, () => T0);

  // Act + Assess
  await expect(deleted.admit(caller)).rejects.toMatchObject({ status: 401 });
  await expect(disabled.admit(caller)).rejects.toMatchObject({ status: 403 });
});

test('the pool is asked once per window per account; after the window the new word counts', async () => {
  // Prepare
  let now = T0;
  const { source, asked } = pool([{ status: 'active' }, { status: 'deleted' }]);
  const check = new AccountCheck(source, () => now);

  // Act
  const first = await codeOf(check);
  now = T0 + WINDOW_MS - 1;
  const withinWindow = await codeOf(check);
  now = T0 + WINDOW_MS;
  const afterWindow = await codeOf(check);

  // Assess
  expect([first, withinWindow, afterWindow]).toEqual(['admitted', 'admitted', 'ACCOUNT_DELETED']);
  expect(asked).toEqual(['user-1', 'user-1']);
});

test('a token issued within the window needs no lookup (Cognito issues tokens to active accounts only)', async () => {
  // Prepare
  const { source, asked } = pool([{ status: 'deleted' }]);
  const check = new AccountCheck(source, () => T0);

  // Act
  const fresh = await codeOf(check, (T0 - WINDOW_MS + 1000) / 1000);
  const old = await codeOf(check, (T0 - WINDOW_MS - 1000) / 1000);

  // Assess
  expect([fresh, old]).toEqual(['admitted', 'ACCOUNT_DELETED']);
  expect(asked).toHaveLength(1);
});

test('a token issued after the pool last said "deleted" is the newer word (the account was restored)', async () => {
  // Prepare
  let now = T0;
  const { source } = pool([{ status: 'deleted' }]);
  const check = new AccountCheck(source, () => now);
  await codeOf(check);

  // Act
  now = T0 + 10_000;
  const outcome = await codeOf(check, (T0 + 5_000) / 1000);

  // Assess
  expect(outcome).toBe('admitted');
});

test('an issue time in the future is ignored', async () => {
  // Prepare
  const { source, asked } = pool([{ status: 'deleted' }]);

  // Act
  const outcome = await codeOf(new AccountCheck(source, () => T0), (T0 + 60_000) / 1000);

  // Assess
  expect(outcome).toBe('ACCOUNT_DELETED');
  expect(asked).toHaveLength(1);
});

test('a pool that cannot answer (throttled) admits on the last word, and asks again next time', async () => {
  // Prepare
  let now = T0;
  const throttled = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
  const { source, asked } = pool([throttled, { status: 'disabled' }, throttled]);
  const check = new AccountCheck(source, () => now);

  // Act
  const unknown = await codeOf(check);
  const answered = await codeOf(check);
  now = T0 + WINDOW_MS;
  const staleButKnown = await codeOf(check);

  // Assess
  expect([unknown, answered, staleButKnown]).toEqual(['admitted', 'ACCOUNT_DISABLED', 'ACCOUNT_DISABLED']);
  expect(asked).toHaveLength(3);
});
