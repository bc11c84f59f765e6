import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { App } from "../src/app";

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: object;
}

/**
 * Checks a REST response against the app's own OpenAPI document: the route and
 * status must be documented, and the body must match the documented schema.
 * Unknown routes may only answer with a problem (404/405).
 */
export class OpenApiValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly routes: { template: string; pattern: RegExp }[];

  private constructor(private readonly doc: Document) {
    addFormats(this.ajv);
    this.routes = Object.keys(doc.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
    }));
  }

  static async load(app: App): Promise<OpenApiValidator> {
    const res = await app.fetch(new Request("http://cartwright.test/api/v1/openapi.json"));
    return new OpenApiValidator((await res.json()) as Document);
  }

  check(method: string, path: string, status: number, contentType: string, body: unknown): void {
    const pathname = path.split("?")[0] ?? path;
    const route = this.routes.find((r) => r.pattern.test(pathname));
    const operation = route && this.doc.paths[route.template]?.[method.toLowerCase()];
    const where = `${method} ${pathname} -> ${status}`;
    if (!operation) {
      if ((status === 404 || status === 405) && contentType.startsWith("application/problem+json")) {
        this.validate("#/components/schemas/Problem", body, where);
        return;
      }
      throw new Error(`undocumented route: ${where}`);
    }
    const response = operation.responses[String(status)] ?? operation.responses.default;
    if (!response) throw new Error(`undocumented status: ${where}`);
    const mediaType = contentType.split(";")[0]?.trim() ?? "";
    const content = response.content?.[mediaType];
    if (!content) {
      if (!response.content && (body === "" || body === undefined)) return;
      throw new Error(`undocumented content type ${mediaType}: ${where}`);
    }
    this.validate(`${route.template} ${method} ${status} ${mediaType}`, body, where, content.schema);
  }

  private validate(key: string, body: unknown, where: string, schema?: object): void {
    let fn = this.compiled.get(key);
    if (!fn) {
      const root = schema ?? { $ref: key };
      fn = this.ajv.compile({ ...root, components: this.doc.components });
      this.compiled.set(key, fn);
    }
    if (!fn(body)) {
      throw new Error(`response does not match the OpenAPI document: ${where}: ${this.ajv.errorsText(fn.errors)}`);
    }
  }
}
