import { createServer } from "node:http";

/**
 * The webhook receiver both the Saasport run and the node:http client loop post to: node:http with
 * no framework, answering 200 to every call. The parent resets it, reads its counts, and in latency
 * mode hears about every call (with the subscription id of its body) over IPC.
 */
let count = 0;
let firstMs;
let lastMs;
let reportArrivals = false;
const deliveryIds = new Set();

const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const now = performance.now();
    count++;
    firstMs ??= now;
    lastMs = now;
    const deliveryId = request.headers["x-saasport-delivery-id"];
    if (deliveryId) deliveryIds.add(deliveryId);
    response.writeHead(200, { "content-type": "application/json", "content-length": 2 });
    response.end("{}");
    if (reportArrivals) {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      process.send({ type: "arrival", subscriptionId: body.subscriptionId, action: body.action });
    }
  });
});
server.keepAliveTimeout = 60_000;

process.on("message", (message) => {
  if (message.type === "reset") {
    count = 0;
    firstMs = undefined;
    lastMs = undefined;
    deliveryIds.clear();
    reportArrivals = message.reportArrivals;
    process.send({ type: "reset" });
  } else if (message.type === "stats") {
    process.send({
      type: "stats",
      count,
      distinct: deliveryIds.size,
      spanMs: count > 0 ? lastMs - firstMs : 0,
    });
  }
});
server.listen(0, "127.0.0.1", () => process.send({ type: "listening", port: server.address().port }));
process.once("disconnect", () => server.close(() => process.exit(0)));
