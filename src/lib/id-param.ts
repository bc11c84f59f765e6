import { z } from "@hono/zod-openapi";

/** `{ id }` from the path (`/things/{id}`): the input of an operation on one row, and its REST path parameter. */
export const IdParam = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: "01a20160-0000-7000-8000-000000000000" }),
});
