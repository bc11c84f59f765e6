import { z } from "@hono/zod-openapi";
import { mutation, query, staff } from "../../lib/operation";
import { IMPORT_ROW_LIMIT, ImportProductsInput, ImportRowsInput } from "./catalog-rows";
import { EXPORT_MEDIA_TYPES, ExportProductsInput, exportProducts } from "./export";
import { importProducts } from "./import";
import { ImportReport } from "./import-report";

export const importProductsOp = mutation({
  input: ImportProductsInput,
  output: ImportReport,
  access: staff("catalog:write"),
  rest: {
    method: "post",
    path: "/admin/products/import",
    status: 200,
    operationId: "importProducts",
    tag: "Admin: catalog",
    summary: "Import products and variants (upsert by SKU)",
    description:
      `JSON \`{ "rows": [...] }\` or a \`text/csv\` file with a header line, up to ${IMPORT_ROW_LIMIT} rows, one per variant. ` +
      "All or nothing: when any row is bad nothing is written, and the 400 names every bad row and field " +
      '(`rows.12.price`, as many as the error list holds). See README "Bulk import and export" for the columns.',
    responds: "What happened to each row's variant and product",
    body: ImportRowsInput,
    consumes: { contentType: "text/csv", field: "csv" },
  },
  run: (ctx, input) => importProducts(ctx, input),
});

export const exportProductsOp = query({
  input: ExportProductsInput,
  output: z.object({ contentType: z.string(), body: z.instanceof(ReadableStream) }),
  access: staff("catalog:read"),
  trpc: false,
  rest: {
    method: "get",
    path: "/admin/products/export",
    status: 200,
    operationId: "exportProducts",
    tag: "Admin: catalog",
    summary: "Export the whole catalog as import rows (streamed)",
    description:
      "Every product of every status, one row per variant, in the import's row format: CSV with a header line, " +
      "or NDJSON. Streamed in batches as it is read; importing it back changes nothing.",
    responds: "The catalog's rows",
    produces: Object.values(EXPORT_MEDIA_TYPES),
  },
  run: async (ctx, input) => ({ contentType: EXPORT_MEDIA_TYPES[input.format], body: exportProducts(ctx, input) }),
});
