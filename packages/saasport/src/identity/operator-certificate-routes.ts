import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { ApiError, badArgument } from "../http/errors.js";
import { requireOperator } from "../http/operator-auth.js";
import {
  InvalidCredentialPem,
  listCertificates,
  parseCredentialPem,
  registerCertificate,
  revokeCertificate,
} from "./certificates.js";
import {
  Certificate,
  CertificateList,
  CertificateParams,
  operatorIdentityDocs,
  PublisherParams,
  RegisterCertificateBody,
} from "./operator-schemas.js";
import { type OperatorRouteDeps, requirePublisher } from "./operator-secret-routes.js";

/** Certificates (or public keys) a publisher app signs client assertions with. */
export function registerOperatorCertificateRoutes(app: FastifyInstance, deps: OperatorRouteDeps): void {
  const routes = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireOperator(deps.operatorKeyHash);
  const path = "/operator/v1/publishers/:publisherId/certificates";

  routes.post(
    path,
    {
      onRequest,
      schema: {
        ...operatorIdentityDocs,
        summary: "Register a certificate or RSA public key the app signs client assertions with",
        params: PublisherParams,
        body: RegisterCertificateBody,
        response: { 200: Certificate, 201: Certificate },
      },
    },
    async (request, reply) => {
      const publisher = await requirePublisher(deps.directory, request.params.publisherId);
      let credential: ReturnType<typeof parseCredentialPem>;
      try {
        credential = parseCredentialPem(request.body.pem);
      } catch (error) {
        if (error instanceof InvalidCredentialPem) throw badArgument("pem", error.message);
        throw error;
      }
      const { summary, created } = await registerCertificate(deps.db, {
        publisherId: publisher.id,
        credential,
        now: deps.clock.now(),
      });
      return reply.code(created ? 201 : 200).send(summary);
    },
  );

  routes.get(
    path,
    {
      onRequest,
      schema: {
        ...operatorIdentityDocs,
        summary: "The app's registered certificates and public keys",
        params: PublisherParams,
        response: { 200: CertificateList },
      },
    },
    async (request) => {
      const publisher = await requirePublisher(deps.directory, request.params.publisherId);
      return { certificates: await listCertificates(deps.db, publisher.id) };
    },
  );

  routes.delete(
    `${path}/:certificateId`,
    {
      onRequest,
      schema: { ...operatorIdentityDocs, summary: "Revoke a certificate", params: CertificateParams },
    },
    async (request, reply) => {
      const publisher = await requirePublisher(deps.directory, request.params.publisherId);
      const found = await revokeCertificate(deps.db, {
        publisherId: publisher.id,
        certificateId: request.params.certificateId,
        now: deps.clock.now(),
      });
      if (!found) {
        throw new ApiError(
          "EntityNotFound",
          `Publisher '${publisher.id}' has no certificate '${request.params.certificateId}'.`,
          { target: "certificateId" },
        );
      }
      return reply.code(204).send();
    },
  );
}
