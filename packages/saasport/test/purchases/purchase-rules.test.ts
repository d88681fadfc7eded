import { describe, expect, it } from "vitest";
import type { Offer, Plan } from "../../src/catalog/model.js";
import { landingPageUrlWithToken } from "../../src/purchases/landing-tokens.js";
import { decidePurchase, type PurchaseRequest } from "../../src/purchases/purchase-rules.js";

const buyer = "11111111-1111-1111-1111-111111111111";
const stranger = "22222222-2222-2222-2222-222222222222";

const offer = (pricingModel: Offer["pricingModel"]): Offer => ({
  publisherId: "contoso",
  offerId: "crm",
  displayName: "CRM",
  description: "",
  pricingModel,
  isPreview: false,
});

const plan = (changes: Partial<Plan> = {}): Plan => ({
  publisherId: "contoso",
  offerId: "crm",
  planId: "gold",
  displayName: "Gold",
  description: "",
  isPrivate: false,
  audience: [],
  minQuantity: 5,
  maxQuantity: 50,
  hasFreeTrial: false,
  isStopSell: false,
  markets: ["US", "GB"],
  billingTerms: [
    { termUnit: "P1M", price: "10.00", currency: "USD", paymentOption: "upfront" },
    { termUnit: "P1Y", price: "100.00", currency: "USD", paymentOption: "monthly" },
  ],
  meteringDimensions: [],
  ...changes,
});

const request = (changes: Partial<PurchaseRequest> = {}): PurchaseRequest => ({
  planId: "gold",
  beneficiaryTenantId: buyer,
  ...changes,
});

describe("decidePurchase", () => {
  it.each<[string, Offer, Plan | undefined, PurchaseRequest, string]>([
    [
      "defaults: first term, its payment option, min seats, first market",
      offer("perUser"),
      plan(),
      request(),
      "ok P1M upfront 5 US",
    ],
    [
      "explicit annual term paid monthly",
      offer("perUser"),
      plan(),
      request({ termUnit: "P1Y", quantity: 7 }),
      "ok P1Y monthly 7 US",
    ],
    ["term the plan lacks", offer("perUser"), plan(), request({ termUnit: "P3Y" }), "400 termUnit"],
    [
      "payment option the term lacks",
      offer("perUser"),
      plan(),
      request({ termUnit: "P1Y", paymentOption: "upfront" }),
      "400 paymentOption",
    ],
    ["seats below min", offer("perUser"), plan(), request({ quantity: 4 }), "400 quantity"],
    ["seats above max", offer("perUser"), plan(), request({ quantity: 51 }), "400 quantity"],
    ["flat-rate with quantity", offer("flatRate"), plan(), request({ quantity: 3 }), "400 quantity"],
    ["flat-rate without quantity", offer("flatRate"), plan(), request(), "ok P1M upfront null US"],
    ["market not sold", offer("flatRate"), plan(), request({ market: "FR" }), "400 market"],
    ["second market", offer("flatRate"), plan(), request({ market: "GB" }), "ok P1M upfront null GB"],
    ["unknown plan", offer("flatRate"), undefined, request(), "404 planId"],
    ["stop-sold plan", offer("flatRate"), plan({ isStopSell: true }), request(), "400 planId"],
    [
      "private plan, buyer in audience",
      offer("flatRate"),
      plan({ isPrivate: true, audience: [buyer.toUpperCase()] }),
      request(),
      "ok P1M upfront null US",
    ],
    [
      "private plan, buyer outside audience",
      offer("flatRate"),
      plan({ isPrivate: true, audience: [stranger] }),
      request(),
      "404 planId",
    ],
  ])("%s", (_name, theOffer, thePlan, theRequest, expected) => {
    const decision = decidePurchase(theOffer, thePlan, theRequest);
    const summary = decision.ok
      ? `ok ${decision.terms.term.termUnit} ${decision.terms.term.paymentOption} ${decision.terms.quantity} ${decision.terms.market}`
      : `${decision.status} ${decision.target}`;
    expect(summary).toBe(expected);
  });
});

describe("landingPageUrlWithToken", () => {
  it.each([
    ["https://isv.example/landing", "a+b/c==", "https://isv.example/landing?token=a%2Bb%2Fc%3D%3D"],
    ["https://isv.example/landing?tenant=x", "a+b", "https://isv.example/landing?tenant=x&token=a%2Bb"],
    [
      "http://127.0.0.1:4680/demo-isv/contoso/landing",
      "t",
      "http://127.0.0.1:4680/demo-isv/contoso/landing?token=t",
    ],
  ])("%s + %s", (landing, token, expected) => {
    const url = landingPageUrlWithToken(landing, token);
    expect(url).toBe(expected);
    expect(new URL(url).searchParams.get("token")).toBe(token);
  });
});
