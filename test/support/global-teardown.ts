export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __disputesTeardown?: () => Promise<void> }).__disputesTeardown?.();
}
