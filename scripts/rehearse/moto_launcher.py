#!/usr/bin/env python3
"""The fake AWS of `make rehearse`: moto on loopback, plus the runner's "what is my IP" answer.

    moto_launcher.py --moto-port N --ip-port M --elastic-ip ADDRESS --runner-ip ADDRESS

Runs moto's server (moto.server.ThreadedMotoServer) on 127.0.0.1:N with two changes that
make the provisioned stack reach the rehearsal's throw-away host: every Elastic IP moto
allocates is ADDRESS (the host's bridge address) instead of a random 127.x address, and
Debian's account publishes a Debian 12 image for the AMI lookup (moto ships none). On
127.0.0.1:M a plain HTTP server answers every GET with the runner's address, as
checkip.amazonaws.com would (the workflow reads that URL from vars.RUNNER_IP_URL). Prints
"ready" once both listen; runs until SIGTERM.
"""

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# One Debian 12 amd64 image under the Debian cloud team's account, the shape the provision
# playbook looks up (owner, name pattern, architecture, EBS root, HVM).
DEBIAN_IMAGE = {
    "ami_id": "ami-0de0bbe12000000d4",
    "name": "debian-12-amd64-20260101-2340",
    "owner_id": "136693071363",
    "creation_date": "2026-01-01T00:00:00.000Z",
    "state": "available",
    "public": True,
    "architecture": "x86_64",
    "virtualization_type": "hvm",
    "root_device_type": "ebs",
    "root_device_name": "/dev/xvda",
    "image_type": "machine",
    "hypervisor": "xen",
    "sriov": "simple",
    "description": "Debian 12 (20260101-2340)",
    "image_location": "136693071363/debian-12-amd64-20260101-2340",
}


def answer_with(address: str) -> type[BaseHTTPRequestHandler]:
    body = f"{address}\n".encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            print(f"runner-ip: {self.address_string()} {format % args}", flush=True)

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moto-port", type=int, required=True)
    parser.add_argument("--ip-port", type=int, required=True)
    parser.add_argument("--elastic-ip", required=True)
    parser.add_argument("--runner-ip", required=True)
    args = parser.parse_args()

    amis = Path(tempfile.mkdtemp(prefix="rehearse-moto-")) / "amis.json"
    amis.write_text(json.dumps([DEBIAN_IMAGE]))
    os.environ["MOTO_AMIS_PATH"] = str(amis)

    # Imported after MOTO_AMIS_PATH is set: moto reads it when its EC2 backend loads.
    import moto.ec2.models.elastic_ip_addresses as elastic_ips
    from moto.server import ThreadedMotoServer

    # ElasticAddress.__init__ calls the name random_ip it imported from moto.ec2.utils.
    elastic_ips.random_ip = lambda: args.elastic_ip

    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=args.moto_port, verbose=False)
    moto.start()
    checkip = ThreadingHTTPServer(("127.0.0.1", args.ip_port), answer_with(args.runner_ip))
    threading.Thread(target=checkip.serve_forever, daemon=True).start()

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    checkip.shutdown()
    moto.stop()
    amis.unlink()
    amis.parent.rmdir()
    sys.exit(0)


if __name__ == "__main__":
    main()
