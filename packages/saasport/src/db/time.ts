/** Storage form of an instant: ISO-8601 UTC with milliseconds. */
export function toStored(instant: Date): string {
  return instant.toISOString();
}

export function fromStored(value: string): Date {
  return new Date(value);
}

export const bool = (value: boolean): number => (value ? 1 : 0);
export const isTrue = (value: number | boolean | null | undefined): boolean => value === 1 || value === true;
