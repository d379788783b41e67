/** A one-entry memo for pure selectors: the panes, their bindings and the key handler ask for the same view of the same state in one frame. */
export function lastCall<A extends unknown[], R>(f: (...args: A) => R): (...args: A) => R {
  let last: A | undefined;
  let result: R;
  return (...args: A): R => {
    if (last && last.length === args.length && last.every((x, i) => x === args[i])) return result;
    result = f(...args);
    last = args;
    return result;
  };
}
