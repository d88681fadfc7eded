/** How the console words the store's codes and values. Pure text helpers, no decisions. */

const termNames: Record<string, string> = {
  P1M: "1 month",
  P1Y: "1 year",
  P2Y: "2 years",
  P3Y: "3 years",
  P4Y: "4 years",
  P5Y: "5 years",
};

export function termText(termUnit: string | undefined): string {
  if (!termUnit) return "–";
  return termNames[termUnit] ?? termUnit;
}

const paymentNames: Record<string, string> = {
  upfront: "paid upfront",
  monthly: "paid monthly",
  annual: "paid yearly",
};

export function paymentText(paymentOption: string | undefined): string {
  if (!paymentOption) return "";
  return paymentNames[paymentOption] ?? paymentOption;
}

/** What one payment buys: "per month" for monthly instalments, the whole term when paid upfront. */
const paymentPeriods: Record<string, string> = {
  monthly: " per month",
  annual: " per year",
};

/**
 * One price of a plan: "$22.00 per seat per month" or "$490.00 for 1 year, paid upfront". A price is
 * one payment: the whole term when paid upfront, else one monthly or yearly instalment.
 */
export function priceText(
  term: { termUnit: string; paymentOption: string; price: string; currency: string },
  perSeat: boolean,
): string {
  const seat = perSeat ? " per seat" : "";
  if (term.paymentOption === "upfront") {
    return `${money(term.price, term.currency)}${seat} for ${termText(term.termUnit)}, paid upfront`;
  }
  const period = paymentPeriods[term.paymentOption] ?? ` ${paymentText(term.paymentOption)}`;
  return `${money(term.price, term.currency)}${seat}${period} for ${termText(term.termUnit)}`;
}

const currencySymbols: Record<string, string> = { USD: "$", EUR: "€", GBP: "£", JPY: "¥" };

/**
 * An exact decimal amount with its currency, as the API wrote it (never through floating point):
 * "$1,234.50", "-$70.00", "CHF 12.00".
 */
export function money(amount: string, currency: string): string {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(amount.trim());
  if (!match) return `${amount} ${currency}`;
  const [, sign = "", whole = "0", fraction = ""] = match;
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const symbol = currencySymbols[currency];
  return symbol ? `${sign}${symbol}${grouped}${fraction}` : `${sign}${currency} ${grouped}${fraction}`;
}

/** A date as a day ("6 Dec 2026"), from an ISO day or timestamp; "–" when absent. */
export function dayText(value: string | null | undefined): string {
  if (!value) return "–";
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!day) return value;
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  return `${Number(day[3])} ${months[Number(day[2]) - 1] ?? day[2]} ${day[1]}`;
}

const statusNames: Record<string, string> = {
  PendingFulfillmentStart: "Waiting for activation",
  Subscribed: "Active",
  Suspended: "Suspended",
  Unsubscribed: "Cancelled",
};

export function statusText(status: string): string {
  return statusNames[status] ?? status;
}

/** The badge colour of a status (CSS class suffix). */
export function statusTone(status: string): "good" | "wait" | "bad" | "off" {
  switch (status) {
    case "Subscribed":
    case "accepted":
    case "paid":
      return "good";
    case "PendingFulfillmentStart":
    case "pending":
    case "open":
      return "wait";
    case "Suspended":
    case "failed":
      return "bad";
    default:
      return "off";
  }
}
