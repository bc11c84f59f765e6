import type { z } from "zod";
import type { Ctx } from "../lib/context";

/** A task is the third adapter: it parses its payload and calls a service with a system actor. */
export interface Task<S extends z.ZodType = z.ZodType> {
  payload: S;
  run(ctx: Ctx, payload: z.output<S>): Promise<void>;
}

export const defineTask = <S extends z.ZodType>(task: Task<S>): Task<S> => task;
