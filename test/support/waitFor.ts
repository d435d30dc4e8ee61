/** Polls `condition` until it holds or `timeoutMs` passes; says which. For checks that assert afterwards. */
export async function settle(condition: () => boolean, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return true;
}

/** Polls `condition` until it holds; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  if (!(await settle(condition, timeoutMs))) throw new Error(`timed out after ${timeoutMs} ms waiting`);
}
