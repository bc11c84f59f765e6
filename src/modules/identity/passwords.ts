import { hash, verify } from "@node-rs/argon2";
import { AppError } from "../../lib/errors";
import COMMON from "./common-passwords.json" with { type: "json" };

// argon2id with OWASP's parameters (m=19 MiB, t=2, p=1). The package's Algorithm
// enum is an ambient const enum that verbatimModuleSyntax cannot import (stack-notes.md).
const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const common = new Set(COMMON as string[]);

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

// Verified against when the email is unknown, so sign-in takes as long either way.
let dummy: Promise<string> | null = null;
export async function burnVerification(password: string): Promise<void> {
  dummy ??= hashPassword(randomFill());
  await verifyPassword(await dummy, password);
}

const randomFill = () => Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");

/** Refuses passwords on the common-passwords list (length is the schema's job). */
export function assertStrongPassword(password: string, field = "password"): void {
  if (common.has(password.toLowerCase())) {
    throw new AppError("VALIDATION_FAILED", "This password is too common", {
      errors: [{ path: field, message: "Too common: choose another" }],
    });
  }
}
