import { Type } from "@sinclair/typebox";

/** OpenAPI grouping for the operator's identity routes. */
export const operatorIdentityDocs = { tags: ["Operator: identity"], security: [{ operatorKey: [] }] };

const nullableString = Type.Union([Type.String(), Type.Null()]);

export const PublisherParams = Type.Object({ publisherId: Type.String({ minLength: 1, maxLength: 100 }) });
export const SecretParams = Type.Object({
  publisherId: Type.String({ minLength: 1, maxLength: 100 }),
  secretId: Type.String({ minLength: 1, maxLength: 100 }),
});
export const CertificateParams = Type.Object({
  publisherId: Type.String({ minLength: 1, maxLength: 100 }),
  certificateId: Type.String({ minLength: 1, maxLength: 100 }),
});

export const CreateSecretBody = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 200 })),
    /** An absolute expiry; a past date is allowed, to test how an app handles AADSTS7000222. */
    expiresAt: Type.Optional(Type.String({ format: "date-time" })),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);

export const CreatedSecret = Type.Object({
  tenantId: Type.String(),
  clientId: Type.String(),
  clientSecret: Type.String(),
  secretId: Type.String(),
  hint: Type.String(),
  description: Type.String(),
  expiresAt: Type.Optional(Type.String()),
});

export const SecretList = Type.Object({
  secrets: Type.Array(
    Type.Object({
      secretId: Type.String(),
      hint: Type.String(),
      description: Type.String(),
      createdAt: Type.String(),
      expiresAt: nullableString,
      revokedAt: nullableString,
    }),
  ),
});

export const RegisterCertificateBody = Type.Object(
  { pem: Type.String({ minLength: 1, maxLength: 32_768, description: "PEM certificate or RSA public key" }) },
  { additionalProperties: false },
);

export const Certificate = Type.Object({
  certificateId: Type.String(),
  kind: Type.Union([Type.Literal("certificate"), Type.Literal("publicKey")]),
  x5t: nullableString,
  x5tS256: nullableString,
  createdAt: Type.String(),
  revokedAt: nullableString,
});

export const CertificateList = Type.Object({ certificates: Type.Array(Certificate) });

export const RotatedKey = Type.Object({
  kid: Type.String(),
  retired: Type.Array(Type.Object({ kid: Type.String(), publishedUntil: Type.String() })),
});

export const SigningKeyList = Type.Object({
  keys: Type.Array(
    Type.Object({
      kid: Type.String(),
      createdAt: Type.String(),
      retiredAt: nullableString,
      publishedUntil: nullableString,
      active: Type.Boolean(),
    }),
  ),
});
