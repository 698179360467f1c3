"""A small SAML 2.0 IdP for interoperability tests, built on pysaml2 (Debian's python3-pysaml2).

Nobody here wrote its SAML: pysaml2 builds the messages and signs them through the xmlsec1 C
library (its `xmlsec1` crypto backend runs the `xmlsec1` binary), a different stack from every
Node library the server uses.

Run with Debian's Python (the packages are not in other interpreters):

    /usr/bin/python3 test/support/idps/pysaml2_idp.py [--sp-metadata PATH_OR_URL]...

It listens on 127.0.0.1 on a free port, prints `READY <origin>` on stdout once listening, and
serves:

- `GET /metadata`: its IdP metadata (entity ID = this URL; SSO on HTTP-Redirect and HTTP-POST).
- `GET /sso/redirect`, `POST /sso/post`: an SP-initiated AuthnRequest; the fixed test user is
  signed in without a form, and the answer is an auto-posting HTML form to the SP's ACS with a
  Response whose assertion is signed (rsa-sha256, sha256, exclusive c14n), NameID emailAddress
  and the attributes `email`, `givenName` (Ada) and `sn` (Lovelace), in pysaml2's default URI
  name format (e.g. Name urn:oid:1.2.840.113549.1.9.1.1, FriendlyName email).
- `GET /idp-initiated?sp=<SP entity ID>`: an unsolicited Response (IdP-initiated) for the same
  user to that SP's HTTP-POST ACS.
- `POST /sp-metadata` (form field `url`, an http://127.0.0.1 URL): imports an SP's metadata
  after the start, as an admin does in an IdP console (the SP's entity ID is known only once the
  connection exists). Answers the entity IDs it now trusts, one a line.

A fresh RSA key and self-signed certificate are made at each start (python3-cryptography).
`--sign response|both`: sign the Response instead of (or as well as) the assertion.
`--sha1`: rsa-sha1 with a sha1 digest (pysaml2's default) instead of rsa-sha256 with sha256.
`--untrusted-signing-key`: the metadata advertises one certificate but responses are signed with
another key (for negative tests).
`--want-signed-requests`: its metadata says WantAuthnRequestsSigned="true" and it refuses an
AuthnRequest not signed with a certificate of the SP's metadata (KeyDescriptor use="signing"):
on HTTP-POST pysaml2 checks the enveloped XML signature itself (`want_authn_requests_signed`,
xmlsec1); on HTTP-Redirect the query-string signature is checked with pysaml2's
`verify_redirect_signature`, as applications built on pysaml2 (SATOSA) call it.

Everything stays on 127.0.0.1: SP metadata URLs elsewhere are refused.
"""

import argparse
import datetime
import os
import signal
import sys
import tempfile
import threading
import traceback
import urllib.parse
import urllib.request
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import AUTHN_PASSWORD_PROTECTED, NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server
from saml2.sigver import verify_redirect_signature
from saml2.xmldsig import DIGEST_SHA1, DIGEST_SHA256, SIG_RSA_SHA1, SIG_RSA_SHA256

HOST = "127.0.0.1"
XMLSEC1 = "/usr/bin/xmlsec1"


def make_key_pair(directory, name):
    """An RSA-2048 key and a self-signed certificate valid around now, as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file = os.path.join(directory, name + ".key")
    cert_file = os.path.join(directory, name + ".crt")
    with open(key_file, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))
    with open(cert_file, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


def idp_config(origin, key_file, cert_file, sp_metadata_files, want_signed_requests):
    return {
        "entityid": origin + "/metadata",
        "description": "pysaml2 test IdP",
        "service": {
            "idp": {
                "name": "pysaml2 test IdP",
                "endpoints": {
                    "single_sign_on_service": [
                        (origin + "/sso/redirect", BINDING_HTTP_REDIRECT),
                        (origin + "/sso/post", BINDING_HTTP_POST),
                    ],
                },
                "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                "want_authn_requests_signed": want_signed_requests,
                "policy": {
                    "default": {
                        "lifetime": {"minutes": 5},
                        "attribute_restrictions": None,
                    },
                },
            },
        },
        "key_file": key_file,
        "cert_file": cert_file,
        "xmlsec_binary": XMLSEC1,
        "crypto_backend": "xmlsec1",
        "metadata": {"local": list(sp_metadata_files)},
    }


def loopback_url(url):
    parsed = urllib.parse.urlparse(url)
    return parsed.scheme == "http" and parsed.hostname == HOST


class IdP:
    def __init__(self, origin, workdir, user, untrusted_signing_key, sp_metadata, sha1, sign, want_signed_requests):
        self.origin = origin
        self.want_signed_requests = want_signed_requests
        self.sign_assertion = sign in ("assertion", "both")
        self.sign_response = sign in ("response", "both")
        # Passed on each response: pysaml2 7.0.1 reads a top-level `signing_algorithm` setting
        # under the "idp" context (`_idp_signing_algorithm`), never finds it, and signs with its
        # default, rsa-sha1 with a sha1 digest.
        self.sign_alg, self.digest_alg = (SIG_RSA_SHA1, DIGEST_SHA1) if sha1 else (SIG_RSA_SHA256, DIGEST_SHA256)
        self.workdir = workdir
        self.user = user
        self.lock = threading.Lock()
        self.sp_count = 0
        key_file, cert_file = make_key_pair(workdir, "idp")
        sp_files = [self.sp_metadata_file(source) for source in sp_metadata]
        # The metadata always carries the advertised certificate.
        advertised = IdPConfig().load(idp_config(origin, key_file, cert_file, [], want_signed_requests))
        self.metadata = create_metadata_string(None, config=advertised, sign=False).decode("utf-8")
        if untrusted_signing_key:
            key_file, cert_file = make_key_pair(workdir, "untrusted")
        config = IdPConfig().load(idp_config(origin, key_file, cert_file, sp_files, want_signed_requests))
        self.server = Server(config=config)
        if self.server.sec.crypto.__class__.__name__ != "CryptoBackendXmlSec1":
            raise RuntimeError("pysaml2 is not signing with xmlsec1: " + self.server.sec.crypto.__class__.__name__)

    def sp_metadata_file(self, source):
        """SP metadata from a file path or a loopback URL, kept as a file in the work folder."""
        if "://" in source:
            if not loopback_url(source):
                raise ValueError("SP metadata URL must be http://127.0.0.1: " + source)
            with urllib.request.urlopen(source, timeout=10) as answer:
                xml = answer.read()
        else:
            with open(source, "rb") as f:
                xml = f.read()
        self.sp_count += 1
        path = os.path.join(self.workdir, "sp-%d.xml" % self.sp_count)
        with open(path, "wb") as f:
            f.write(xml)
        return path

    def import_sp_metadata(self, url):
        path = self.sp_metadata_file(url)
        with self.lock:
            self.server.metadata.load("local", path)
        return sorted(self.server.metadata.service_providers())

    def sso(self, saml_request, binding, relay_state, query):
        with self.lock:
            on_redirect = binding == BINDING_HTTP_REDIRECT
            # An HTTP-Redirect request carries no XML signature: pysaml2 must not look for one there.
            self.server.config._idp_want_authn_requests_signed = self.want_signed_requests and not on_redirect
            parsed = self.server.parse_authn_request(saml_request, binding)
            if self.want_signed_requests and on_redirect:
                self.check_redirect_signature(parsed.message.issuer.text, query)
            response_args = self.server.response_args(parsed.message, [BINDING_HTTP_POST])
            return self.answer(response_args, relay_state)

    def check_redirect_signature(self, sp_entity_id, query):
        """The HTTP-Redirect query-string signature (SAML bindings 3.4.4.1) with the SP's signing certificates."""
        if "SigAlg" not in query or "Signature" not in query:
            raise ValueError("the AuthnRequest is not signed (no SigAlg and Signature), and this IdP wants signed requests")
        certs = self.server.metadata.certs(sp_entity_id, "spsso", "signing")
        if not certs:
            raise ValueError("the SP metadata of %s has no signing certificate" % sp_entity_id)
        if not any(verify_redirect_signature(query, self.server.sec.sec_backend, cert=cert) for cert in certs):
            raise ValueError("the AuthnRequest's query-string signature does not verify with the SP's signing certificate")

    def idp_initiated(self, sp_entity_id, relay_state):
        """An unsolicited Response (no InResponseTo) to a trusted SP's HTTP-POST ACS."""
        with self.lock:
            if sp_entity_id not in self.server.metadata.service_providers():
                raise ValueError("unknown SP: " + sp_entity_id)
            acs = self.server.metadata.assertion_consumer_service(sp_entity_id, BINDING_HTTP_POST)
            if not acs:
                raise ValueError("the SP has no HTTP-POST AssertionConsumerService: " + sp_entity_id)
            response_args = {"in_response_to": None, "destination": acs[0]["location"], "sp_entity_id": sp_entity_id, "name_id_policy": None}
            return self.answer(response_args, relay_state)

    def answer(self, response_args, relay_state):
        """The signed Response for the fixed user, as an auto-posting form (HTTP-POST binding)."""
        destination = response_args["destination"]
        response = self.server.create_authn_response(
            identity={"email": [self.user], "givenName": ["Ada"], "sn": ["Lovelace"]},
            userid=self.user,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=self.user),
            authn={"class_ref": AUTHN_PASSWORD_PROTECTED, "authn_auth": self.origin},
            sign_assertion=self.sign_assertion,
            sign_response=self.sign_response,
            sign_alg=self.sign_alg,
            digest_alg=self.digest_alg,
            **response_args,
        )
        return self.server.apply_binding(BINDING_HTTP_POST, str(response), destination, relay_state, response=True)


def text(start_response, status, body, content_type="text/plain; charset=utf-8"):
    data = body.encode("utf-8") if isinstance(body, str) else body
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(data)))])
    return [data]


def application(idp):
    def app(environ, start_response):
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        try:
            if method == "GET" and path == "/metadata":
                return text(start_response, "200 OK", idp.metadata, "application/samlmetadata+xml; charset=utf-8")
            if method == "GET" and path == "/idp-initiated":
                fields = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
                http_args = idp.idp_initiated(fields.get("sp", [""])[0], fields.get("RelayState", [""])[0])
                return text(start_response, "200 OK", http_args["data"], "text/html; charset=utf-8")
            if path in ("/sso/redirect", "/sso/post", "/sp-metadata"):
                if method == "GET" and path == "/sso/redirect":
                    fields = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
                elif method == "POST" and path != "/sso/redirect":
                    length = int(environ.get("CONTENT_LENGTH") or 0)
                    fields = urllib.parse.parse_qs(environ["wsgi.input"].read(length).decode("utf-8"))
                else:
                    return text(start_response, "405 Method Not Allowed", "method not allowed\n")
                if path == "/sp-metadata":
                    url = fields.get("url", [""])[0]
                    return text(start_response, "200 OK", "".join(e + "\n" for e in idp.import_sp_metadata(url)))
                saml_request = fields.get("SAMLRequest", [None])[0]
                if not saml_request:
                    return text(start_response, "400 Bad Request", "SAMLRequest missing\n")
                binding = BINDING_HTTP_REDIRECT if path == "/sso/redirect" else BINDING_HTTP_POST
                query = {name: values[0] for name, values in fields.items()}
                http_args = idp.sso(saml_request, binding, fields.get("RelayState", [""])[0], query)
                return text(start_response, "200 OK", http_args["data"], "text/html; charset=utf-8")
            return text(start_response, "404 Not Found", "not found\n")
        except Exception as error:  # an answer with the reason, never a hang
            traceback.print_exc(file=sys.stderr)
            return text(start_response, "400 Bad Request", "%s: %s\n" % (type(error).__name__, error))

    return app


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # requests on stderr only when asked
        if os.environ.get("PYSAML2_IDP_LOG"):
            super().log_message(format, *args)


class Threaded(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sp-metadata", action="append", default=[], help="SP metadata: a file path or an http://127.0.0.1 URL (repeatable)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--user", default="ada@megacorp.test", help="the email of the user every login signs in")
    parser.add_argument("--untrusted-signing-key", action="store_true", help="sign with a key other than the one the metadata advertises")
    parser.add_argument("--sha1", action="store_true", help="sign with rsa-sha1 and a sha1 digest (pysaml2's own default) instead of rsa-sha256/sha256")
    parser.add_argument("--want-signed-requests", action="store_true", help="advertise WantAuthnRequestsSigned and refuse requests not signed by the SP")
    parser.add_argument("--sign", choices=("assertion", "response", "both"), default="assertion", help="what to sign (default: the assertion)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pysaml2-idp-") as workdir:
        holder = {}
        httpd = make_server(HOST, args.port, lambda e, s: holder["app"](e, s), server_class=Threaded, handler_class=QuietHandler)
        origin = "http://%s:%d" % (HOST, httpd.server_port)
        idp = IdP(origin, workdir, args.user, args.untrusted_signing_key, args.sp_metadata, args.sha1, args.sign, args.want_signed_requests)
        holder["app"] = application(idp)
        # Stop on SIGTERM, and when the parent goes away (stdin closes): no orphan IdP, temp keys removed.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        threading.Thread(target=lambda: (sys.stdin.read(), httpd.shutdown()), daemon=True).start()
        print("READY " + origin, flush=True)
        try:
            httpd.serve_forever()
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            httpd.server_close()


if __name__ == "__main__":
    main()
