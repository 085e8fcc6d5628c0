/** The CLI's exit codes: 0 ok, 1 failed, 2 usage; 130 interrupted (Ctrl-C), as shells report SIGINT. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;
