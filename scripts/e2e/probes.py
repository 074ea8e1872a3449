"""HTTPS to the test host the way a client on the internet would: the served name (a domain,
or the host's IP address itself) as the server name, the certificate verified against
Pebble's root, only the address pinned, and the client's API key on every request unless a
request says otherwise."""

import http.client
import socket
import ssl
from dataclasses import dataclass


@dataclass
class Target:
    domain: str
    address: str
    root_pem: str
    key: str | None = None

    def authorization(self, key: str | None = None) -> dict[str, str]:
        """The Authorization header for `key` (by default the target's own), if any."""
        key = key or self.key
        return {"Authorization": f"Bearer {key}"} if key else {}

    def context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cadata=self.root_pem)
        context.set_alpn_protocols(["h2", "http/1.1"])
        return context

    def connect(self, timeout: float = 10) -> http.client.HTTPSConnection:
        context = self.context()
        context.set_alpn_protocols(["http/1.1"])
        raw = socket.create_connection((self.address, 443), timeout=timeout)
        connection = http.client.HTTPSConnection(self.domain, timeout=timeout)
        connection.sock = context.wrap_socket(raw, server_hostname=self.domain)
        return connection

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        timeout: float = 10,
        headers: dict[str, str] | None = None,
        key: str | None = None,
        authorized: bool = True,
    ) -> tuple[int, dict[str, str], bytes]:
        """One request on a connection of its own: with the target's key (or `key`) unless
        `authorized` is false."""
        connection = self.connect(timeout)
        try:
            sent = {"Content-Type": "application/json"} if body is not None else {}
            if authorized:
                sent.update(self.authorization(key))
            sent.update(headers or {})
            connection.request(method, path, body, sent)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def raw(self, data: bytes) -> tuple[int, dict[str, str], bytes] | None:
        """Sends `data` over TLS as it is (no Host or key is added) and parses the answer;
        None when the server closes without one."""
        raw = socket.create_connection((self.address, 443), timeout=10)
        context = self.context()
        context.set_alpn_protocols(["http/1.1"])
        with context.wrap_socket(raw, server_hostname=self.domain) as tls:
            tls.sendall(data)
            response = http.client.HTTPResponse(tls)
            try:
                response.begin()
                return response.status, dict(response.getheaders()), response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError):
                return None
            finally:
                response.close()

    def handshake(self) -> dict:
        """The negotiated protocol, ALPN, and the served certificate's serial, names and
        validity."""
        raw = socket.create_connection((self.address, 443), timeout=10)
        with self.context().wrap_socket(raw, server_hostname=self.domain) as tls:
            certificate = tls.getpeercert()
            return {
                "version": tls.version(),
                "alpn": tls.selected_alpn_protocol(),
                "serial": certificate["serialNumber"],
                "not_before": certificate["notBefore"],
                "not_after": certificate["notAfter"],
                "names": [value for _, value in certificate.get("subjectAltName", ())],
                "issuer": dict(item[0] for item in certificate["issuer"]).get("commonName"),
            }

    def plain_http(self, path: str, host: str | None = None) -> tuple[int, dict[str, str]]:
        connection = http.client.HTTPConnection(self.address, 80, timeout=10)
        try:
            connection.request("GET", path, headers={"Host": host or self.domain})
            response = connection.getresponse()
            response.read()
            return response.status, dict(response.getheaders())
        finally:
            connection.close()
