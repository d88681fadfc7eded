import type { CatalogReader } from "../catalog/repository.js";
import { type TypedApp, validatedInHandler } from "../catalog/routes/route-kit.js";
import { readBody } from "../catalog/service/api-errors.js";
import type { ClockService } from "../clock/clock-service.js";
import { ApiError } from "../http/errors.js";
import { partnerOf } from "../http/partner-auth.js";
import type { PrivateOfferRepository } from "./repository.js";
import { decideWithdraw, isoDay, statusAt, validatePrivateOffer } from "./rules.js";
import {
  IdParams,
  PartnerListQuery,
  PrivateOfferInputSchema,
  PrivateOfferList,
  PrivateOfferView,
  privateOfferBodyLimit,
} from "./schemas.js";
import { partnerView } from "./views.js";

export interface PrivateOfferRouteDeps {
  repository: PrivateOfferRepository;
  catalog: CatalogReader;
  clocks: ClockService;
}

const docs = {
  tags: ["Partner: private offers"],
  security: [{ publisherToken: [] }, { operatorKey: [] }],
} as const;

export function privateOfferNotFound(id: string): ApiError {
  return new ApiError("EntityNotFound", `There is no private offer "${id.slice(0, 100)}".`, { target: "id" });
}

/** Business time now, after picking up clock moves made by other processes. */
export async function businessNow(clocks: ClockService): Promise<Date> {
  await clocks.refresh();
  return clocks.now();
}

/** Publisher routes, registered inside the /partner/v1 scope (the publisher is authenticated). */
export function registerPartnerPrivateOfferRoutes(app: TypedApp, deps: PrivateOfferRouteDeps): void {
  const ownOffer = async (publisherId: string, id: string) => {
    const offer = await deps.repository.get(id.toLowerCase());
    if (!offer || offer.publisherId !== publisherId) throw privateOfferNotFound(id);
    return offer;
  };

  app.post(
    "/private-offers",
    {
      bodyLimit: privateOfferBodyLimit,
      schema: {
        ...docs,
        summary: "Create a private offer for one customer (or reseller) tenant",
        body: PrivateOfferInputSchema,
        response: { 201: PrivateOfferView },
      },
      // Checked in the handler so that every problem is reported at once and unknown fields are refused.
      validatorCompiler: validatedInHandler,
    },
    async (request, reply) => {
      const { publisherId } = partnerOf(request);
      const body = readBody(PrivateOfferInputSchema, request.body);
      const offer = await deps.catalog.getOffer(publisherId, body.offerId);
      const plans = offer ? await deps.catalog.listPlans(publisherId, body.offerId) : [];
      const now = await businessNow(deps.clocks);
      const checked = validatePrivateOffer(body, { offer, plans }, isoDay(now));
      if (!checked.ok) {
        const [first] = checked.problems;
        throw new ApiError(
          "BadArgument",
          checked.problems.length === 1 && first
            ? first.message
            : `The private offer breaks ${checked.problems.length} rules: ${checked.problems.map((problem) => problem.message).join(" ")}`,
          {
            target: first ? `body.${first.target}` : "body",
            details: checked.problems.map((problem) => ({
              code: "InvalidValue",
              message: problem.message,
              target: `body.${problem.target}`,
            })),
          },
        );
      }
      const created = await deps.repository.create(publisherId, checked.value, now);
      return reply
        .code(201)
        .header("location", `/partner/v1/private-offers/${created.id}`)
        .send(partnerView(created, now));
    },
  );

  app.get(
    "/private-offers",
    {
      schema: {
        ...docs,
        summary: "Your private offers, newest first, optionally by status",
        querystring: PartnerListQuery,
        response: { 200: PrivateOfferList },
      },
    },
    async (request) => {
      const now = await businessNow(deps.clocks);
      const offers = await deps.repository.listByPublisher(partnerOf(request).publisherId);
      const wanted = request.query.status;
      return {
        privateOffers: offers
          .filter((offer) => wanted === undefined || statusAt(offer, now) === wanted)
          .map((offer) => partnerView(offer, now)),
      };
    },
  );

  app.get(
    "/private-offers/:id",
    {
      schema: {
        ...docs,
        summary: "One private offer",
        params: IdParams,
        response: { 200: PrivateOfferView },
      },
    },
    async (request) => {
      const offer = await ownOffer(partnerOf(request).publisherId, request.params.id);
      return partnerView(offer, await businessNow(deps.clocks));
    },
  );

  app.post(
    "/private-offers/:id/withdraw",
    {
      bodyLimit: 1024,
      schema: {
        ...docs,
        summary: "Withdraw a pending private offer",
        params: IdParams,
        response: { 200: PrivateOfferView },
      },
    },
    async (request) => {
      const { publisherId } = partnerOf(request);
      const offer = await ownOffer(publisherId, request.params.id);
      const now = await businessNow(deps.clocks);
      const decision = decideWithdraw(offer, now);
      if (!decision.ok) throw new ApiError("Conflict", decision.message, { target: "id" });
      if (!(await deps.repository.settle(offer.id, "withdrawn", now))) {
        const current = await ownOffer(publisherId, offer.id);
        throw new ApiError("Conflict", `Private offer ${offer.id} is ${statusAt(current, now)}.`, {
          target: "id",
        });
      }
      return partnerView(await ownOffer(publisherId, offer.id), now);
    },
  );
}
