import type { ValueTransformer } from 'typeorm';

/** PostgreSQL bigint arrives as a string; minor units stay far below 2^53, so a number is exact. */
export const bigintNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};
