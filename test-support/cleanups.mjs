// The one way tests clean up: whatever a test opens is registered as it is opened, and an
// `afterEach` closes it all, newest first, whether the test passed or failed part-way. A
// `try`/`finally` around each test closed only what it named, and a failed assertion before the
// end left clients, peers and their sockets to the next test.
//
//   const cleanups = new Cleanups();
//   afterEach(() => cleanups.run());
//   const svc = cleanups.close(Svc.bind(...));

/** What a test opened, closed after it newest first. */
export class Cleanups {
  #closers = [];

  /** Registers `closer` to run after the test. */
  add(closer) {
    this.#closers.push(closer);
  }

  /** Registers `resource.close()` to run after the test; returns `resource`. */
  close(resource) {
    this.#closers.push(() => resource.close());
    return resource;
  }

  /** Runs every closer, newest first, each even when an earlier one threw; then throws the first error. */
  async run() {
    const errors = [];
    for (const closer of this.#closers.splice(0).reverse()) {
      try {
        await closer();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}
