import { createServer } from "node:http";

/**
 * The reference server: node:http with no framework, answering every request with the JSON body the
 * parent sends over IPC. Prints nothing; tells the parent its port once it listens.
 */
process.once("message", (body) => {
  const payload = Buffer.from(body, "utf8");
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "content-length": payload.length,
    });
    response.end(payload);
  });
  server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
  process.once("disconnect", () => server.close(() => process.exit(0)));
});
