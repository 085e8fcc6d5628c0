import { createCodeReader, type DeliveredCode } from '../../../local/emulators/cognito-codes';

test('reads the destination and code out of cognito-local console box, colours and all', () => {
  // Prepare: the box as cognito-local prints it through pino-pretty
  const codes: DeliveredCode[] = [];
  const read = createCodeReader((code) => codes.push(code));
  const box = [
    '[1795240619656] \u001b[32mINFO\u001b[39m: \u001b[36m710ad3c5 SignUp ╭──────────────╮',
    '│   Confirmation Code Delivery                          │',
    '│   Username:    2d95a567-38a9-435f-90d0-9f6df526f0cd   │',
    '│   Destination: a@example.com                          │',
    '│   Code:        302342                                 │',
    '╰──────────────╯\u001b[39m',
  ];

  // Act
  for (const line of ['unrelated: Code: 999', ...box, 'Code: 111111']) read(line);

  // Assess
  expect(codes).toEqual([{ destination: 'a@example.com', code: '302342' }]);
});
