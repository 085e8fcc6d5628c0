/** Placeholder so the stack can bundle this entry; the real tracker follows in the next commits. */
export const handler = async (): Promise<void> => undefined;
