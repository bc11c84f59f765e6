import type { Task } from "../jobs/task";
import type { Ctx } from "./context";
import { type AnyOperation, flattenOperations, isOperation, type OperationTree } from "./operation";

/**
 * What a module shows the rest of the system (its `index.ts`): its operations
 * by tRPC path, the OpenAPI tags its routes use, its tasks, and builders of the
 * rows it owns for the access test. src/modules/index.ts lists the modules
 * once; the REST facade, the AppRouter, the task list and crontab, and the
 * access table are derived from them.
 */
export interface ModuleManifest<T extends OperationTree = OperationTree> {
  name: string;
  operations: T;
  /** The tags of its REST routes, with their descriptions, in the document's order. */
  tags?: { name: string; description: string }[];
  /** Its jobs' implementations; a task with a `schedule` also runs from the crontab. */
  tasks?: Task[];
  /** For each resource an `owner(...)` operation names: makes one owned by `ctx`'s actor and returns its id. */
  owned?: Record<string, (ctx: Ctx) => Promise<string>>;
}

export const defineModule = <T extends OperationTree>(manifest: ModuleManifest<T>): ModuleManifest<T> => manifest;

/** The trees of several modules as one; two modules declaring the same path is a mistake caught at start-up. */
export function mergeTrees(trees: OperationTree[]): OperationTree {
  const merged: OperationTree = {};
  for (const tree of trees) {
    for (const [name, node] of Object.entries(tree)) {
      const existing = merged[name];
      if (existing === undefined) merged[name] = node;
      else if (isOperation(existing) || isOperation(node)) throw new Error(`two modules declare the operation ${name}`);
      else merged[name] = mergeTrees([existing, node]);
    }
  }
  return merged;
}

/** The trees' deep merge, as a type. */
export type MergeTrees<T extends readonly unknown[]> = T extends readonly [infer Head, ...infer Rest]
  ? Merge<Head, MergeTrees<Rest>>
  : unknown;

type Merge<A, B> = unknown extends B
  ? A
  : {
      [K in keyof A | keyof B]: K extends keyof A
        ? K extends keyof B
          ? Merge<A[K], B[K]>
          : A[K]
        : K extends keyof B
          ? B[K]
          : never;
    };

/** Every operation of every module with its tRPC path. */
export const allOperations = (modules: readonly ModuleManifest[]): [string, AnyOperation][] =>
  modules.flatMap((m) => flattenOperations(m.operations));
