import { afterAll } from "bun:test";
import { StandInServer } from "./stand-in-server";

// A local stand-in for the Typesense endpoints Cartwright uses (architecture.md "Tests"): the real
// `typesense` client talks to it over HTTP. It is strict about what we send, so a test fails
// where a real Typesense would refuse or quietly mishandle a request: the API key, the
// collection schema, every imported document against that schema, and every search parameter
// (query_by fields are indexed strings, filter_by uses fields that exist in a syntax Typesense
// parses, sort_by fields are sortable, facet_by fields are facets). It answers searches naively
// (each word a prefix of a word of the title or description, then the filters, sorts and
// facets) — enough to check the protocol, not a search engine.

export const STAND_IN_API_KEY = "stand-in-test-key";

export interface FieldSchema {
  name: string;
  type: string;
  facet?: boolean;
  sort?: boolean;
  index?: boolean;
  optional?: boolean;
}

export interface CollectionSchema {
  name: string;
  fields: FieldSchema[];
  default_sorting_field?: string;
}

type Doc = Record<string, unknown> & { id: string };

interface Collection {
  schema: CollectionSchema;
  docs: Map<string, Doc>;
  createdAt: number;
}

/** What the stand-in was asked, for tests to check. */
export interface Received {
  imports: { collection: string; documents: number; action: string | null }[];
  deletes: { collection: string; filter: string }[];
  searches: { collection: string; params: Record<string, string> }[];
  /** Requests it refused as malformed, with why: a test may assert there were none. */
  refused: string[];
}

const TYPES = new Set([
  "string",
  "string[]",
  "int32",
  "int32[]",
  "int64",
  "int64[]",
  "float",
  "float[]",
  "bool",
  "bool[]",
]);
const NUMERIC = new Set(["int32", "int64", "float"]);
const base = (type: string) => type.replace("[]", "");

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class TypesenseStandIn extends StandInServer {
  readonly collections = new Map<string, Collection>();
  readonly aliases = new Map<string, string>();
  received: Received = { imports: [], deletes: [], searches: [], refused: [] };

  /** Forgets what it was asked (not what it holds). */
  clearReceived(): void {
    this.received = { imports: [], deletes: [], searches: [], refused: [] };
  }

  /** The collection a name or alias points to. */
  collection(nameOrAlias: string): Collection | undefined {
    return this.collections.get(this.aliases.get(nameOrAlias) ?? nameOrAlias);
  }

  protected async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    try {
      if (url.pathname === "/health") return json(200, { ok: true });
      if (req.headers.get("x-typesense-api-key") !== STAND_IN_API_KEY) {
        return json(401, { message: "Forbidden - a valid `x-typesense-api-key` header must be sent." });
      }
      return await this.route(req, url);
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      if (err.status === 400) this.received.refused.push(`${req.method} ${url.pathname}: ${err.message}`);
      return json(err.status, { message: err.message });
    }
  }

  private async route(req: Request, url: URL): Promise<Response> {
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const m = req.method;
    if (parts[0] === "aliases") {
      const name = parts[1];
      if (!name) return json(200, { aliases: [...this.aliases].map(([n, c]) => ({ name: n, collection_name: c })) });
      if (m === "PUT") {
        const body = (await req.json()) as { collection_name?: unknown };
        if (typeof body.collection_name !== "string")
          throw new Refusal(400, "Parameter `collection_name` is required.");
        if (!this.collections.has(body.collection_name)) throw new Refusal(404, "Collection not found.");
        this.aliases.set(name, body.collection_name);
        return json(200, { name, collection_name: body.collection_name });
      }
      const target = this.aliases.get(name);
      if (target === undefined) throw new Refusal(404, "Not Found");
      if (m === "DELETE") this.aliases.delete(name);
      return json(200, { name, collection_name: target });
    }
    if (parts[0] !== "collections") throw new Refusal(404, "Not Found");
    if (parts.length === 1) {
      if (m === "POST") return json(201, this.createCollection((await req.json()) as CollectionSchema));
      return json(
        200,
        [...this.collections.values()].map((c) => describe(c)),
      );
    }
    const name = parts[1] ?? "";
    const target = this.aliases.get(name) ?? name;
    const col = this.collections.get(target);
    if (!col) throw new Refusal(404, `Collection \`${name}\` not found.`);
    if (parts.length === 2) {
      if (m === "DELETE") {
        this.collections.delete(target);
        return json(200, describe(col));
      }
      return json(200, describe(col));
    }
    if (parts[2] !== "documents") throw new Refusal(404, "Not Found");
    const action = parts[3];
    if (action === "import" && m === "POST") return this.importDocuments(name, col, url, await req.text());
    if (action === "search" && m === "GET") return json(200, this.search(name, col, url.searchParams));
    if (action === undefined && m === "DELETE") {
      const filter = url.searchParams.get("filter_by");
      if (!filter) throw new Refusal(400, "Parameter `filter_by` must be provided.");
      this.received.deletes.push({ collection: name, filter });
      const matches = [...col.docs.values()].filter(compileFilter(col.schema, filter));
      for (const d of matches) col.docs.delete(d.id);
      return json(200, { num_deleted: matches.length });
    }
    if (action !== undefined && parts.length === 4 && (m === "GET" || m === "DELETE")) {
      const doc = col.docs.get(action);
      if (!doc) throw new Refusal(404, `Could not find a document with id: ${action}`);
      if (m === "DELETE") col.docs.delete(action);
      return json(200, doc);
    }
    throw new Refusal(404, "Not Found");
  }

  private createCollection(schema: CollectionSchema): ReturnType<typeof describe> {
    if (typeof schema.name !== "string" || !schema.name) throw new Refusal(400, "Parameter `name` is required.");
    if (this.collections.has(schema.name)) {
      throw new Refusal(409, `A collection with name \`${schema.name}\` already exists.`);
    }
    if (!Array.isArray(schema.fields) || schema.fields.length === 0) {
      throw new Refusal(400, "Parameter `fields` is required.");
    }
    const seen = new Set<string>();
    for (const f of schema.fields) {
      if (typeof f.name !== "string" || !f.name) throw new Refusal(400, "Field `name` must be a string.");
      if (f.name === "id") throw new Refusal(400, "Field `id` is implicit: do not declare it.");
      if (seen.has(f.name)) throw new Refusal(400, `There are duplicate field names in the schema: ${f.name}`);
      seen.add(f.name);
      if (!TYPES.has(f.type)) throw new Refusal(400, `Field \`${f.name}\` has an invalid data type \`${f.type}\``);
      for (const flag of ["facet", "sort", "index", "optional"] as const) {
        if (f[flag] !== undefined && typeof f[flag] !== "boolean") {
          throw new Refusal(400, `Field \`${f.name}\`: \`${flag}\` must be a bool.`);
        }
      }
      if (f.index === false && !f.optional)
        throw new Refusal(400, `Field \`${f.name}\` must be optional to be unindexed.`);
    }
    const dsf = schema.default_sorting_field;
    if (dsf !== undefined) {
      const f = schema.fields.find((x) => x.name === dsf);
      if (!f) throw new Refusal(400, `Default sorting field is defined as \`${dsf}\` but is not found in the schema.`);
      if (!NUMERIC.has(f.type)) throw new Refusal(400, `Default sorting field \`${dsf}\` is not a sortable type.`);
    }
    const col: Collection = {
      schema: structuredClone(schema),
      docs: new Map(),
      createdAt: Math.floor(Date.now() / 1000),
    };
    this.collections.set(schema.name, col);
    return describe(col);
  }

  private importDocuments(name: string, col: Collection, url: URL, body: string): Response {
    const action = url.searchParams.get("action");
    if (action !== null && !["create", "upsert", "update", "emplace"].includes(action)) {
      throw new Refusal(400, `Invalid action \`${action}\``);
    }
    const lines = body.split("\n").filter((l) => l.trim() !== "");
    this.received.imports.push({ collection: name, documents: lines.length, action });
    const results = lines.map((line) => {
      let doc: Doc;
      try {
        doc = JSON.parse(line);
      } catch {
        return { success: false, error: "Bad JSON.", document: line };
      }
      const problem = checkDocument(col.schema, doc);
      if (problem) return { success: false, error: problem, document: line };
      if ((action ?? "create") === "create" && col.docs.has(doc.id)) {
        return { success: false, error: "A document with id already exists.", document: line };
      }
      col.docs.set(doc.id, doc);
      return { success: true };
    });
    return new Response(results.map((r) => JSON.stringify(r)).join("\n"), {
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }

  private search(name: string, col: Collection, params: URLSearchParams) {
    const p = Object.fromEntries(params);
    this.received.searches.push({ collection: name, params: p });
    const { schema } = col;
    const q = p.q;
    if (q === undefined) throw new Refusal(400, "Parameter `q` is required.");
    const queryBy = split(p.query_by ?? "");
    if (queryBy.length === 0) throw new Refusal(400, "Parameter `query_by` is required.");
    for (const f of queryBy) {
      const field = schema.fields.find((x) => x.name === f);
      if (!field || base(field.type) !== "string" || field.index === false) {
        throw new Refusal(400, `Could not find a field named \`${f}\` in the schema to query by.`);
      }
    }
    for (const list of ["query_by_weights", "num_typos", "prefix"] as const) {
      const n = p[list] === undefined ? 0 : split(p[list]).length;
      if (n > 1 && n !== queryBy.length) {
        throw new Refusal(400, `Number of values in \`${list}\` does not match the number of \`query_by\` fields.`);
      }
    }
    for (const w of split(p.query_by_weights ?? "")) {
      if (!/^\d+$/.test(w) || Number(w) > 127)
        throw new Refusal(400, "`query_by_weights` must be integers from 0 to 127.");
    }
    for (const n of split(p.num_typos ?? "")) {
      if (!/^[012]$/.test(n)) throw new Refusal(400, "`num_typos` must be 0, 1 or 2.");
    }
    for (const b of split(p.prefix ?? "")) {
      if (b !== "true" && b !== "false") throw new Refusal(400, "`prefix` must be true or false.");
    }
    const perPage = p.per_page === undefined ? 10 : int(p.per_page, "per_page");
    const page = p.page === undefined ? 1 : int(p.page, "page");
    if (perPage > 250) throw new Refusal(422, "Only upto 250 hits can be fetched per page.");
    if (page < 1) throw new Refusal(422, "Parameter `page` must be at least 1.");
    const filter = p.filter_by ? compileFilter(schema, p.filter_by) : () => true;
    const order = compileSort(schema, p.sort_by);
    const facets = compileFacets(schema, p.facet_by);
    const words = q === "*" ? [] : q.toLowerCase().split(/\s+/).filter(Boolean);
    const scored = [...col.docs.values()]
      .filter(filter)
      .map((doc) => ({ doc, score: textScore(doc, queryBy, words) }))
      .filter((h) => q === "*" || h.score > 0)
      .sort(order);
    const hits = scored.slice((page - 1) * perPage, page * perPage);
    const include = p.include_fields ? split(p.include_fields) : null;
    return {
      found: scored.length,
      out_of: col.docs.size,
      page,
      search_time_ms: 0,
      request_params: { collection_name: name, per_page: perPage, q },
      hits: hits.map(({ doc }) => ({
        document: include ? Object.fromEntries(include.map((f) => [f, doc[f]])) : doc,
        highlights: [],
        text_match: 0,
      })),
      facet_counts: facets.map((facet) => facet(scored.map((s) => s.doc))),
    };
  }
}

function json(status: number, body: unknown): Response {
  return Response.json(body, { status });
}

function describe(c: Collection) {
  return { ...c.schema, num_documents: c.docs.size, created_at: c.createdAt };
}

const split = (v: string) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

function int(v: string, name: string): number {
  if (!/^\d+$/.test(v)) throw new Refusal(400, `Parameter \`${name}\` must be an unsigned integer.`);
  return Number(v);
}

const INT32 = 2_147_483_647;

function valueFits(type: string, v: unknown): boolean {
  switch (type) {
    case "string":
      return typeof v === "string";
    case "bool":
      return typeof v === "boolean";
    case "int32":
      return Number.isInteger(v) && Math.abs(v as number) <= INT32;
    case "int64":
      return Number.isSafeInteger(v);
    case "float":
      return typeof v === "number";
    default:
      return false;
  }
}

/** Why Typesense would refuse this document, or null. Unknown fields are refused too: they would drift unseen. */
function checkDocument(schema: CollectionSchema, doc: Doc): string | null {
  if (typeof doc !== "object" || doc === null) return "Document is not an object.";
  if (typeof doc.id !== "string" || !doc.id) return "Document's `id` field should be a string.";
  for (const f of schema.fields) {
    const v = doc[f.name];
    if (v === undefined || v === null) {
      if (!f.optional) return `Field \`${f.name}\` has been declared in the schema, but is not found in the document.`;
      continue;
    }
    const array = f.type.endsWith("[]");
    const ok = array ? Array.isArray(v) && v.every((x) => valueFits(base(f.type), x)) : valueFits(f.type, v);
    if (!ok) return `Field \`${f.name}\` must be ${array ? "an array of " : "a "}${base(f.type)}.`;
  }
  for (const key of Object.keys(doc)) {
    if (key !== "id" && !schema.fields.some((f) => f.name === key)) return `Field \`${key}\` is not in the schema.`;
  }
  return null;
}

function fieldOf(schema: CollectionSchema, name: string): FieldSchema {
  if (name === "id") return { name: "id", type: "string" };
  const f = schema.fields.find((x) => x.name === name);
  if (!f) throw new Refusal(404, `Could not find a filter field named \`${name}\` in the schema.`);
  if (f.index === false) throw new Refusal(400, `Cannot filter on the unindexed field \`${name}\`.`);
  return f;
}

/** One value of a filter: `\`quoted, with commas\`` or a bare token. */
function parseValue(raw: string): string {
  const v = raw.trim();
  if (v.startsWith("`")) {
    if (!v.endsWith("`") || v.length < 2 || v.slice(1, -1).includes("`")) {
      throw new Refusal(400, `Could not parse the filter value ${v}.`);
    }
    return v.slice(1, -1);
  }
  if (/[\s`()&|]/.test(v) || v === "") throw new Refusal(400, `Could not parse the filter value ${v}.`);
  return v;
}

/** Splits on `sep` outside backticks and brackets. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (ch === "`") quoted = !quoted;
    else if (!quoted && (ch === "[" || ch === "(")) depth++;
    else if (!quoted && (ch === "]" || ch === ")")) depth--;
    if (!quoted && depth === 0 && s.startsWith(sep, i)) {
      out.push(cur);
      cur = "";
      i += sep.length - 1;
      continue;
    }
    cur += ch;
  }
  if (quoted || depth !== 0) throw new Refusal(400, `Could not parse \`${s}\`: unbalanced quotes or brackets.`);
  out.push(cur);
  return out;
}

type Predicate = (doc: Doc) => boolean;

/** The subset of Typesense's filter_by Cartwright uses: `a:=v`, `a:=[v,w]`, `a:[x..y]`, `a:=true`, joined by `&&`. */
function compileFilter(schema: CollectionSchema, filter: string): Predicate {
  const clauses = splitTop(filter, "&&").map((clause) => {
    const m = clause.trim().match(/^([A-Za-z_][\w.]*):(=?)(.*)$/s);
    if (!m) throw new Refusal(400, `Could not parse the filter query: \`${clause.trim()}\`.`);
    const [, name = "", exact, rest = ""] = m;
    const field = fieldOf(schema, name);
    const type = base(field.type);
    const values = (d: Doc): unknown[] => {
      const v = d[name];
      return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
    };
    const body = rest.trim();
    if (body.startsWith("[") && body.endsWith("]") && body.includes("..")) {
      if (!NUMERIC.has(type)) throw new Refusal(400, `Range filter on the non-numeric field \`${name}\`.`);
      const [lo, hi] = body
        .slice(1, -1)
        .split("..")
        .map((x) => Number(x.trim()));
      if (lo === undefined || hi === undefined || Number.isNaN(lo) || Number.isNaN(hi)) {
        throw new Refusal(400, `Could not parse the range \`${body}\`.`);
      }
      return (d: Doc) => values(d).some((x) => (x as number) >= lo && (x as number) <= hi);
    }
    const wanted = (body.startsWith("[") && body.endsWith("]") ? splitTop(body.slice(1, -1), ",") : [body]).map(
      parseValue,
    );
    if (type === "bool") {
      if (!exact || wanted.some((w) => w !== "true" && w !== "false")) {
        throw new Refusal(400, `Value of filter field \`${name}\` must be \`true\` or \`false\`.`);
      }
      return (d: Doc) => values(d).some((x) => wanted.includes(String(x)));
    }
    if (NUMERIC.has(type)) {
      if (wanted.some((w) => Number.isNaN(Number(w))))
        throw new Refusal(400, `Numerical field \`${name}\` has an invalid value.`);
      return (d: Doc) => values(d).some((x) => wanted.includes(String(x)));
    }
    // Strings: `:=` is an exact match of a whole value; `:` (token match) is not what our ids and tags need.
    if (!exact && name !== "id") throw new Refusal(400, `Use \`:=\` to match \`${name}\` exactly.`);
    return (d: Doc) => (name === "id" ? [d.id] : values(d)).some((x) => wanted.includes(String(x)));
  });
  return (d) => clauses.every((c) => c(d));
}

type Hit = { doc: Doc; score: number };

function compileSort(schema: CollectionSchema, sortBy: string | undefined): (a: Hit, b: Hit) => number {
  const specs = split(sortBy ?? "_text_match:desc");
  if (specs.length > 3) throw new Refusal(400, "Only upto 3 sort_by fields can be specified.");
  const comparators = specs.map((spec) => {
    const [name = "", dir] = spec.split(":").map((s) => s.trim());
    if (dir !== "asc" && dir !== "desc") throw new Refusal(400, `Order of sort field \`${name}\` must be asc or desc.`);
    const sign = dir === "asc" ? 1 : -1;
    if (name === "_text_match") return (a: Hit, b: Hit) => sign * (a.score - b.score);
    const f = schema.fields.find((x) => x.name === name);
    if (!f) throw new Refusal(404, `Could not find a field named \`${name}\` in the schema for sorting.`);
    const sortable = f.type.endsWith("[]") ? false : (f.sort ?? (NUMERIC.has(f.type) || f.type === "bool"));
    if (!sortable) throw new Refusal(400, `Could not find a field named \`${name}\` in the schema for sorting.`);
    return (a: Hit, b: Hit) => {
      const x = a.doc[name] as string | number;
      const y = b.doc[name] as string | number;
      return sign * (x < y ? -1 : x > y ? 1 : 0);
    };
  });
  return (a, b) => {
    for (const c of comparators) {
      const r = c(a, b);
      if (r !== 0) return r;
    }
    return 0;
  };
}

type Facet = (docs: Doc[]) => { field_name: string; counts: { value: string; count: number; highlighted: string }[] };

function compileFacets(schema: CollectionSchema, facetBy: string | undefined): Facet[] {
  if (!facetBy) return [];
  return splitTop(facetBy, ",").map((spec) => {
    const m = spec.trim().match(/^([A-Za-z_]\w*)(?:\((.*)\))?$/s);
    if (!m) throw new Refusal(400, `Could not parse the facet \`${spec.trim()}\`.`);
    const [, name = "", ranges] = m;
    const f = schema.fields.find((x) => x.name === name);
    if (!f?.facet) throw new Refusal(404, `Could not find a facet field named \`${name}\` in the schema.`);
    if (ranges === undefined) {
      return (docs) => {
        const counts = new Map<string, number>();
        for (const d of docs) {
          const v = d[name];
          for (const x of Array.isArray(v) ? v : [v]) counts.set(String(x), (counts.get(String(x)) ?? 0) + 1);
        }
        return {
          field_name: name,
          counts: [...counts]
            .sort((a, b) => b[1] - a[1])
            .map(([value, count]) => ({ value, count, highlighted: value })),
        };
      };
    }
    if (!NUMERIC.has(f.type)) throw new Refusal(400, `Range facet on the non-numeric field \`${name}\`.`);
    if (f.sort === false) throw new Refusal(400, `Faceting by range needs \`sort\` enabled on \`${name}\`.`);
    const buckets = splitTop(ranges, ",").map((r) => {
      const b = r.trim().match(/^([A-Za-z0-9]+):\[\s*(-?\d+)?\s*,\s*(-?\d+)?\s*\]$/);
      if (!b || (b[2] === undefined && b[3] === undefined)) {
        throw new Refusal(400, `Could not parse the range facet \`${r.trim()}\`: labels are alphanumeric.`);
      }
      const from = b[2] === undefined ? -Infinity : Number(b[2]);
      const to = b[3] === undefined ? Infinity : Number(b[3]);
      return { label: b[1] as string, from, to };
    });
    return (docs) => ({
      field_name: name,
      // [from, to): the upper bound is exclusive, as in Typesense.
      counts: buckets
        .map((b) => ({
          value: b.label,
          count: docs.filter((d) => (d[name] as number) >= b.from && (d[name] as number) < b.to).length,
          highlighted: b.label,
        }))
        .filter((c) => c.count > 0),
    });
  });
}

/** Each query word must prefix a word of a queried field; earlier fields weigh more. */
function textScore(doc: Doc, fields: string[], words: string[]): number {
  let score = 0;
  for (const w of words) {
    const at = fields.findIndex((f) =>
      String(doc[f] ?? "")
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .some((t) => t.startsWith(w)),
    );
    if (at < 0) return 0;
    score += fields.length - at;
  }
  return score;
}

/** A stand-in for this test file, stopped after it, and the env that points an app at it. */
export function useTypesenseStandIn(): { standIn: TypesenseStandIn; env: Record<string, string> } {
  const standIn = new TypesenseStandIn();
  const url = standIn.start();
  afterAll(() => standIn.stop());
  return { standIn, env: { TYPESENSE_URL: url, TYPESENSE_API_KEY: STAND_IN_API_KEY } };
}
