/** Reports a seed's steps: `done` of `total` units of `step` ("products", 4000, 250000). */
export type Progress = (step: string, done: number, total: number) => void;
