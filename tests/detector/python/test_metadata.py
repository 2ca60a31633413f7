"""detect_environment_with_metadata against local metadata servers on 127.0.0.1."""

import socket
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from support import netra_environment

UNDECIDED = {"K_SERVICE": "netra-product-api", "NODE_ENV": "production"}


def no_signal(seen, because=None):
    return (
        "Cannot tell the environment on this Cloud Run service: `ENVIRONMENT` is not set and no signal names one (%s)%s. "
        "Set ENVIRONMENT to one of: development, test, staging, production." % (seen, "" if because is None else "; " + because)
    )


class Server:
    """An HTTP server on 127.0.0.1 answering every GET with (status, headers, body), recording each request."""

    def __init__(self, status=200, headers=None, body=b"netra-staging\n"):
        self.requests = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                owner.requests.append((self.command, self.path, self.headers.get("Metadata-Flavor")))
                self.send_response(status)
                for name, value in ({"Metadata-Flavor": "Google"} if headers is None else headers).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host = "127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class SilentServer:
    """Accepts connections and never answers."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.host = "127.0.0.1:%d" % self.listener.getsockname()[1]
        self.accepted = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        try:
            while True:
                self.accepted.append(self.listener.accept()[0])
        except OSError:
            pass

    def close(self):
        for connection in self.accepted:
            connection.close()
        self.listener.close()


class MetadataTest(unittest.TestCase):
    def setUp(self):
        netra_environment._answers.clear()
        self.servers = []

    def tearDown(self):
        for server in self.servers:
            server.close()

    def serve(self, server):
        self.servers.append(server)
        return server

    def failure(self, environ, **options):
        with self.assertRaises(netra_environment.EnvironmentDetectionError) as caught:
            netra_environment.detect_environment_with_metadata(environ, **options)
        return caught.exception.code, caught.exception.message

    def test_asks_once_with_metadata_flavor_and_decides_from_the_project_id(self):
        server = self.serve(Server())
        environ = dict(UNDECIDED, GCE_METADATA_HOST=server.host)
        result = netra_environment.detect_environment_with_metadata(environ)
        self.assertEqual(
            result.as_dict(),
            {
                "environment": "staging",
                "source": "platform",
                "platform": "cloud-run-service",
                "signals": {
                    "K_SERVICE": {"value": "netra-product-api", "environments": []},
                    "metadata:project-id": {"value": "netra-staging", "environments": ["staging"]},
                },
                "warnings": [
                    "`ENVIRONMENT` is not set; staging was inferred from metadata:project-id. "
                    "Set ENVIRONMENT=staging on the Cloud Run service."
                ],
            },
        )
        self.assertEqual(netra_environment.detect_environment_with_metadata(environ), result)
        self.assertEqual(server.requests, [("GET", "/computeMetadata/v1/project/project-id", "Google")])

    def test_accepts_gce_metadata_host_written_as_a_url(self):
        server = self.serve(Server(body=b"netra-prod"))
        result = netra_environment.detect_environment_with_metadata({"CLOUD_RUN_JOB": "netra-db-migrate", "GCE_METADATA_HOST": "http://%s/" % server.host})
        self.assertEqual((result.environment, result.platform), ("production", "cloud-run-job"))

    def test_gives_up_at_the_deadline_when_the_server_never_answers(self):
        server = self.serve(SilentServer())
        started = time.monotonic()
        environ = dict(UNDECIDED, GCE_METADATA_HOST=server.host)
        expected = ("no-signal", no_signal("K_SERVICE=netra-product-api", "the metadata server at %s did not answer within 150 ms" % server.host))
        self.assertEqual(self.failure(environ, timeout_ms=150), expected)
        self.assertEqual(self.failure(environ, timeout_ms=150), expected)  # remembered: one deadline, not one per call
        self.assertLess(time.monotonic() - started, 5)  # generous: proves the deadline holds, not how fast the machine is
        self.assertEqual(len(server.accepted), 1)

    def test_rejects_garbage_and_answers_that_are_not_the_metadata_server(self):
        cases = [
            (Server(body=b"<html><body>Gateway says hello</body></html>"), "answered with something that is not a project id"),
            (Server(body=b"netra-staging" + b"-x" * 50000), "answered with something that is not a project id"),
            (Server(headers={}), "answered without `Metadata-Flavor: Google`"),
            (Server(status=404, body=b"not found"), "answered with HTTP 404"),
        ]
        for server, clause in cases:
            with self.subTest(clause):
                self.serve(server)
                environ = dict(UNDECIDED, GCE_METADATA_HOST=server.host)
                message = no_signal("K_SERVICE=netra-product-api", "the metadata server at %s %s" % (server.host, clause))
                self.assertEqual(self.failure(environ), ("no-signal", message))

    def test_reports_a_server_that_refuses_the_connection(self):
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        host = "127.0.0.1:%d" % listener.getsockname()[1]
        listener.close()
        message = no_signal("K_SERVICE=netra-product-api", "the metadata server at %s could not be reached (ECONNREFUSED)" % host)
        self.assertEqual(self.failure(dict(UNDECIDED, GCE_METADATA_HOST=host)), ("no-signal", message))

    def test_makes_no_request_when_the_variables_settle_the_question(self):
        server = self.serve(Server(body=b"netra-prod"))
        for environ, environment in [
            (dict(UNDECIDED, ENVIRONMENT="stage"), "staging"),
            ({"K_SERVICE": "netra-backend-staging"}, "staging"),
            ({"GCP_PROJECT_ID": "netra-product"}, "development"),
        ]:
            result = netra_environment.detect_environment_with_metadata(dict(environ, GCE_METADATA_HOST=server.host))
            self.assertEqual(result.environment, environment)
        self.assertEqual(server.requests, [])

    def test_refuses_a_gce_metadata_host_that_is_not_an_http_host(self):
        for host, reason in [("https://127.0.0.1:1", "is not an http host"), ("http://exa mple:80", "is not a host")]:
            message = no_signal("K_SERVICE=netra-product-api", "`GCE_METADATA_HOST` (%s) %s" % (host, reason))
            self.assertEqual(self.failure(dict(UNDECIDED, GCE_METADATA_HOST=host)), ("no-signal", message))

    def test_rejects_a_deadline_outside_1_to_5000_ms(self):
        for timeout_ms in (0, -1, 5001, float("nan")):
            with self.assertRaises(ValueError) as caught:
                netra_environment.detect_environment_with_metadata(UNDECIDED, timeout_ms=timeout_ms)
            self.assertEqual(str(caught.exception), "timeout_ms must be from 1 to 5000 milliseconds; got %r." % timeout_ms)


if __name__ == "__main__":
    unittest.main()
