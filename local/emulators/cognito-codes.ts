/**
 * cognito-local "delivers" confirmation codes by printing a box to its console (its README documents
 * the format). This reads that box back out of the log, line by line, so the runtime can hand codes to
 * its output host: a person running `npm start` needs them to confirm a sign-up.
 */
export interface DeliveredCode {
  readonly destination: string;
  readonly code: string;
}

const ANSI = /\u001b\[[0-9;]*m/g;
const FIELD = /(Destination|Code):\s+(\S+)/;

export function createCodeReader(onCode: (code: DeliveredCode) => void): (line: string) => void {
  let pending: { destination?: string; code?: string } | undefined;
  return (rawLine) => {
    const line = rawLine.replace(ANSI, '');
    if (line.includes('Confirmation Code Delivery')) {
      pending = {};
      return;
    }
    if (!pending) return;
    const field = FIELD.exec(line);
    if (field?.[1] === 'Destination') pending.destination = field[2];
    if (field?.[1] === 'Code') pending.code = field[2];
    if (pending.destination && pending.code) {
      onCode({ destination: pending.destination, code: pending.code });
      pending = undefined;
    }
  };
}
