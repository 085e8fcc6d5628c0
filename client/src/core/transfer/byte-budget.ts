/**
 * A bound on bytes held in memory: a reader takes bytes before reading them and whoever finishes with
 * them gives them back, so reading waits while enough is in flight (backpressure). A request larger
 * than what is left is still granted when nothing is held, so one oversized piece cannot stall for
 * ever. Once opened (the work failed and is winding down) every request is granted at once.
 */
export class ByteBudget {
  private held = 0;
  private opened = false;
  private readonly waiting: { readonly bytes: number; readonly grant: () => void }[] = [];

  constructor(readonly maxBytes: number) {}

  /** Bytes taken and not given back. */
  get heldBytes(): number {
    return this.held;
  }

  take(bytes: number): Promise<void> {
    if (this.waiting.length === 0 && this.fits(bytes)) {
      this.held += bytes;
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiting.push({ bytes, grant }));
  }

  giveBack(bytes: number): void {
    this.held -= bytes;
    this.wake();
  }

  /** Grants everything from now on: nothing waits on work that stopped. */
  open(): void {
    this.opened = true;
    this.wake();
  }

  private fits(bytes: number): boolean {
    return this.opened || this.held === 0 || this.held + bytes <= this.maxBytes;
  }

  private wake(): void {
    while (this.waiting.length > 0 && this.fits(this.waiting[0].bytes)) {
      const next = this.waiting.shift() as { bytes: number; grant: () => void };
      this.held += next.bytes;
      next.grant();
    }
  }
}
