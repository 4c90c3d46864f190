/**
 * Runs a scheduling pass now, or once more right after the running one when asked meanwhile: however many triggers
 * (a submit, a job ending, a lease renewal, a reconnect) arrive, one pass runs at a time and none is lost.
 */
export class PassLoop {
  private running = false;
  private again = false;
  private halted = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Set by stop(): a pass in progress checks it between jobs. */
  get stopped(): boolean {
    return this.halted;
  }

  run(): void {
    if (this.halted) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.pass()
      .catch(this.onError)
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.run();
        }
      });
  }

  stop(): void {
    this.halted = true;
  }
}
