"""The contract between the catalogue server and the kiosks: the feed document, its signature,
its verification and the vendored HSDS schemas. Imports neither the client, the publisher nor
the server."""
