/** Reads k3s's --kube-*-arg flags (`name=value`, as given to the upstream component). */

/** The value of `name=value` among the args (the last one wins, as with repeated flags). */
export function componentArg(args: string[], name: string): string | undefined {
  let value: string | undefined;
  for (const a of args) {
    const [k, ...v] = a.replace(/^--/, "").split("=");
    if (k === name) value = v.join("=");
  }
  return value;
}
