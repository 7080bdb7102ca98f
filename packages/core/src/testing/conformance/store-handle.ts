/**
 * What a conformance suite's factory returns: a fresh, empty store and a way to release it.
 * Each test calls the factory once, so stores never share state between tests.
 */
export interface StoreHandle<Store> {
  store: Store;
  /** Called after each test, also when it failed (close connections, delete temp files). */
  close?: () => Promise<void>;
}

/** Creates a fresh, empty store for one test. */
export type StoreFactory<Store, Extra extends object = object> = () => Promise<StoreHandle<Store> & Extra>;

/** Runs `body` against a fresh store and always closes it, so one failing test cannot leak into the next. */
export async function withStore<Handle extends StoreHandle<unknown>>(
  factory: () => Promise<Handle>,
  body: (handle: Handle) => Promise<void>,
): Promise<void> {
  const handle = await factory();
  try {
    await body(handle);
  } finally {
    await handle.close?.();
  }
}
