/** Placeholder so the stack can bundle this entry; the real handler follows in the next commits. */
export const handler = async (): Promise<{ statusCode: number; body: string }> => ({
  statusCode: 501,
  body: JSON.stringify({ error: { code: 'INTERNAL', message: 'not implemented yet' } }),
});
