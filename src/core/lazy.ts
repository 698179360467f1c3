/**
 * Code loaded on demand, once per key: the first `load(key)` starts it, later calls share its
 * promise; a failed load (offline, a blocked chunk) is forgotten, so the next call tries again.
 * `loaded(key)` answers without waiting once it is there. Provider definitions and the wizard's
 * steps load this way.
 */
export interface LazyLoader<K, V> {
  load(key: K): Promise<V>;
  loaded(key: K): V | undefined;
}

export function lazyLoader<K, V>(fetch: (key: K) => Promise<V>): LazyLoader<K, V> {
  const loading = new Map<K, Promise<V>>();
  const values = new Map<K, V>();
  return {
    load(key) {
      let promise = loading.get(key);
      if (!promise) {
        promise = fetch(key).then(
          (value) => (values.set(key, value), value),
          (error: unknown) => {
            loading.delete(key);
            throw error;
          },
        );
        loading.set(key, promise);
      }
      return promise;
    },
    loaded: (key) => values.get(key),
  };
}
