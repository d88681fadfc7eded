/** Documented in catalogs/demo.yaml and the README; changing them breaks copy-pasted examples. */
export const demo = {
  contoso: {
    tenantId: "11111111-1111-1111-1111-111111111111",
    appId: "aaaaaaaa-1111-1111-1111-111111111111",
    secret: "contoso-demo-client-secret",
  },
  adatum: {
    tenantId: "22222222-2222-2222-2222-222222222222",
    appId: "bbbbbbbb-2222-2222-2222-222222222222",
    secret: "adatum-demo-client-secret",
  },
  fabrikamTenant: "33333333-3333-3333-3333-333333333333",
} as const;
