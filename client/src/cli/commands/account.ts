/** signup, confirm, login, logout. */
import type { ToteClient } from '../../client';
import type { CommandOutput } from './output';

export async function signup(client: ToteClient, email: string, password: string): Promise<CommandOutput> {
  const result = await client.signup(email, password);
  if (result.confirmed) {
    return { data: { email, confirmed: true }, lines: [`Signed up ${email}. Next: tote login ${email}`] };
  }
  const where = result.codeDestination ? ` to ${result.codeDestination}` : '';
  return {
    data: { email, confirmed: false, codeDestination: result.codeDestination },
    lines: [
      `Signed up ${email}. A confirmation code was sent${where} (the local runtime prints it in its output).`,
      `Next: tote confirm ${email} <code>`,
    ],
  };
}

export async function confirm(client: ToteClient, email: string, code: string): Promise<CommandOutput> {
  const { alreadyConfirmed } = await client.confirm(email, code);
  const done = alreadyConfirmed ? `${email} is confirmed already` : `Confirmed ${email}`;
  return { data: { email, confirmed: true, alreadyConfirmed }, lines: [`${done}. Next: tote login ${email}`] };
}

export async function login(client: ToteClient, email: string, password: string): Promise<CommandOutput> {
  const result = await client.login(email, password);
  return { data: result, lines: [`Logged in to ${result.endpoint} as ${result.email}.`] };
}

export async function logout(client: ToteClient): Promise<CommandOutput> {
  const loggedOut = await client.logout();
  const line = loggedOut ? `Logged out of ${client.endpoint}.` : `Not logged in to ${client.endpoint}.`;
  return { data: { endpoint: client.endpoint, loggedOut }, lines: [line] };
}
