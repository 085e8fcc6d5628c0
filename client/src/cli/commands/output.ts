/** What a command hands the output host: data for --json, lines for people, and an exit code. */
export interface CommandOutput {
  readonly data: object;
  readonly lines: readonly string[];
  /** Non-zero when the command partly failed without throwing (some files of a folder upload). */
  readonly exitCode?: number;
}
