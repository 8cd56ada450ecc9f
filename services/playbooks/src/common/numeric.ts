/** pg returns numeric columns as strings; the API speaks numbers. */
export const numeric = {
  to: (v?: number | null) => v,
  from: (v: string | null) => (v === null || v === undefined ? null : Number(v)),
};
