/**
 * Training threads run at a lower CPU priority than the threads that answer Predict, so on a busy machine a training
 * step yields to serving instead of adding to Predict's tail latency. On Linux a nice value belongs to one thread,
 * so this touches only the calling thread. Failures are ignored: priority is an optimisation, never a requirement.
 */
import os from 'node:os';

/** Nice value of training threads (0 = normal, 19 = lowest). */
export const TRAINING_NICE = 10;

/** Lowers this thread's priority; returns a function that restores it (where the OS allows raising it again). */
export function lowerThreadPriority(nice = TRAINING_NICE): () => void {
  let before: number;
  try {
    before = os.getPriority(0);
    os.setPriority(0, Math.max(before, nice));
  } catch {
    return () => undefined;
  }
  return () => {
    try {
      os.setPriority(0, before);
    } catch {
      // Without CAP_SYS_NICE a thread cannot raise its priority back: it stays lower, which is harmless.
    }
  };
}
