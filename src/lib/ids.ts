/** UUIDv7 (time-ordered, so primary-key inserts stay append-only) made in the app: Postgres 15-17 lack uuidv7(). */
export const newId = (): string => Bun.randomUUIDv7();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);
