import type { z } from "zod";

/**
 * A job's contract: its task name and payload schema, and nothing else, so a
 * service that enqueues it imports no task implementation (and no import cycle
 * runs from the services through the tasks back to them).
 */
export interface Job<N extends string = string, S extends z.ZodType = z.ZodType> {
  name: N;
  payload: S;
}

export const defineJob = <N extends string, S extends z.ZodType>(name: N, payload: S): Job<N, S> => ({ name, payload });
