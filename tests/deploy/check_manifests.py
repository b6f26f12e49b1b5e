"""The compose file and the Kubernetes manifests parse, and hold what docs/operations.md says:
native gRPC probes on the API port, the database URLs from a Secret, a migration Job that runs
`returnsd migrate`, a Service with both ports, and a PodDisruptionBudget selecting the pods."""
import sys

import yaml

repo = sys.argv[1]


def fail(message):
    print("check_manifests: " + message, file=sys.stderr)
    sys.exit(1)


compose = yaml.safe_load(open(f"{repo}/deploy/docker/compose.yaml"))
services = compose.get("services", {})
if set(services) != {"postgres", "returnsd"}:
    fail(f"compose services are {sorted(services)}")
if services["returnsd"]["build"]["dockerfile"] != "deploy/docker/Dockerfile":
    fail("compose does not build deploy/docker/Dockerfile")
if "RETURNS_DATABASE_URL" not in services["returnsd"]["environment"]:
    fail("compose gives returnsd no database")
print("compose: parsed, returnsd built from the Dockerfile against postgres")

docs = [d for d in yaml.safe_load_all(open(f"{repo}/deploy/kubernetes/returnsd.yaml")) if d]
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], []).append(d)
for kind in ["ConfigMap", "Job", "Deployment", "Service", "PodDisruptionBudget"]:
    if kind not in by_kind:
        fail(f"no {kind}")
deployment = by_kind["Deployment"][0]
pod = deployment["spec"]["template"]
container = pod["spec"]["containers"][0]
ports = {p["name"]: p["containerPort"] for p in container["ports"]}
if ports.get("grpc") != 50051 or ports.get("metrics") != 9464:
    fail(f"container ports {ports}")
for probe in ["readinessProbe", "livenessProbe"]:
    grpc = container.get(probe, {}).get("grpc")
    if not grpc or grpc.get("port") != ports["grpc"]:
        fail(f"{probe} is not a native gRPC probe on the API port")
if container["livenessProbe"]["grpc"].get("service") != "liveness":
    fail("the liveness probe must ask the 'liveness' service (the process, not the database)")
secrets = [e["valueFrom"]["secretKeyRef"]["name"] for e in container["env"] if "valueFrom" in e]
if not secrets or set(secrets) != {"returnsd-database"}:
    fail("the database URLs do not come from the returnsd-database Secret")
if not any(ref.get("configMapRef", {}).get("name") == "returnsd" for ref in container.get("envFrom", [])):
    fail("the ConfigMap is not used")
args = " ".join(container["args"])
for flag in ["--metrics_listen", "--no_migrate", "--db_transaction_pooling"]:
    if flag not in args:
        fail(f"the Deployment does not pass {flag}")
if pod["spec"]["terminationGracePeriodSeconds"] <= 20:
    fail("the grace period does not cover the drain")
job = by_kind["Job"][0]["spec"]["template"]["spec"]["containers"][0]
if job["args"] != ["migrate"]:
    fail("the Job does not run returnsd migrate")
selector = deployment["spec"]["selector"]["matchLabels"]
if {k: pod["metadata"]["labels"].get(k) for k in selector} != selector:
    fail("the Deployment's selector does not select its pods")
for kind in ["Service", "PodDisruptionBudget"]:
    spec = by_kind[kind][0]["spec"]
    chosen = spec["selector"] if kind == "Service" else spec["selector"]["matchLabels"]
    if chosen != selector:
        fail(f"the {kind} does not select the API pods")
service_ports = {p["name"] for p in by_kind["Service"][0]["spec"]["ports"]}
if service_ports != {"grpc", "metrics"}:
    fail(f"Service ports {service_ports}")
print(f"kubernetes: {len(docs)} manifests parsed; probes, Secret, ConfigMap, Job, Service and PDB check out")
